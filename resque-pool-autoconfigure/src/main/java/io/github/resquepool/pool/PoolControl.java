package io.github.resquepool.pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The rules behind the pool's control API: pausing and resuming, scaling within
 * {@code max-workers}, and reloading with the three-way rule; each change logged and
 * published. Local commands and fleet commands both come through here. Changes of groups
 * are made under the pool's control lock.
 */
final class PoolControl implements FleetSync.Control {

	/** The pool's own category, as before these rules had a class of their own. */
	private static final Log logger = LogFactory.getLog("io.github.resquepool.pool.ResquePool");

	private final ReentrantLock lock;

	private final GroupMap groups;

	private final PoolState state;

	private final PoolEventSink events;

	private final Supplier<PoolSettings> reloadSource;

	private final Function<GroupSettings, WorkerGroup> newGroup;

	private volatile PoolSettings settings;

	/**
	 * The groups as configured when last applied (start or reload), for the three-way
	 * rule.
	 */
	private volatile Map<String, GroupSettings> configured;

	private volatile String lastReloadError;

	/**
	 * @param lock the pool's control lock
	 * @param groups the pool's groups
	 * @param state the pool's state
	 * @param events the pool's event sink
	 * @param settings the settings at the start
	 * @param reloadSource reads and validates the configuration again
	 * @param newGroup makes a group of the current run
	 */
	PoolControl(ReentrantLock lock, GroupMap groups, PoolState state, PoolEventSink events, PoolSettings settings,
			Supplier<PoolSettings> reloadSource, Function<GroupSettings, WorkerGroup> newGroup) {
		this.lock = lock;
		this.groups = groups;
		this.state = state;
		this.events = events;
		this.settings = settings;
		this.configured = settings.groups();
		this.reloadSource = reloadSource;
		this.newGroup = newGroup;
	}

	/**
	 * @return the settings, with the groups' counts as they are now
	 */
	PoolSettings settings() {
		return this.settings;
	}

	/**
	 * @return why the last reload was refused, or {@code null}
	 */
	String lastReloadError() {
		return this.lastReloadError;
	}

	@Override
	public void pause(String group, boolean paused) {
		if (group != null) {
			this.groups.require(group).setPaused(paused);
			logger.info((paused ? "Pausing" : "Resuming") + " group '" + group + "'");
		}
		else {
			this.state.setPaused(paused);
			this.groups.running().forEach(WorkerGroup::wakeAll);
			logger.info(
					paused ? "Pausing resque-pool: running jobs finish, no new job is taken" : "Resuming resque-pool");
		}
		if (paused) {
			this.events.paused(group);
		}
		else {
			this.events.resumed(group);
		}
	}

	@Override
	public void scale(String group, int count) {
		scaleFrom(group, count);
	}

	/**
	 * Sets a group's number of workers.
	 * @param group the group's name
	 * @param count the new count
	 * @return the count before
	 * @throws IllegalArgumentException when the count is refused; nothing changes then
	 */
	int scaleFrom(String group, int count) {
		this.lock.lock();
		try {
			WorkerGroup target = this.groups.requireScalable(group, count, this.settings.maxWorkers());
			int before = target.desired();
			this.settings = this.settings.withCount(group, count);
			target.setDesired(count);
			logger.info("Scaled group '" + group + "' from " + before + " to " + count + " workers");
			this.events.scaled(group, before, count);
			return before;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public int configuredCount(String group) {
		GroupSettings settings = this.configured.get(group);
		return (settings != null) ? settings.count() : 0;
	}

	/**
	 * Reads the configuration again and converges the groups to it.
	 * @return what changed, or why nothing did
	 */
	ReloadResult reload() {
		PoolSettings next;
		try {
			next = this.reloadSource.get();
		}
		catch (RuntimeException ex) {
			this.lastReloadError = ex.getMessage();
			logger.warn("Reload refused, the pool keeps running unchanged: " + ex.getMessage());
			return ReloadResult.refused(ex.getMessage());
		}
		this.lock.lock();
		try {
			List<String> changes = new Reconciliation(this.groups, this.newGroup).apply(this.configured, next.groups());
			this.settings = this.settings.withGroups(Reconciliation.running(this.groups, next.groups()));
			this.configured = next.groups();
			this.lastReloadError = null;
			logger.info("Reloaded resque-pool: " + (changes.isEmpty() ? "no change" : String.join("; ", changes)));
			this.events.reloaded(changes);
			return ReloadResult.applied(changes);
		}
		finally {
			this.lock.unlock();
		}
	}

}
