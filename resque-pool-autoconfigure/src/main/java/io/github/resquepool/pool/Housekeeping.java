package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.worker.JobFailure;
import io.github.resquepool.worker.Worker;

/**
 * The supervisor thread and its duties: converging groups (starting and retiring workers,
 * which registers them in Redis), the poll tick (wake one idle worker per group), retries
 * of unregistrations that failed, the wake-up subscription, and the {@link Watchdog}'s
 * rounds. The pool's events and listeners are called from here and from the workers'
 * threads, never from the {@link Liveness} thread. A failing duty is retried at its next
 * turn; none can stop the others.
 */
final class Housekeeping {

	private static final Log logger = LogFactory.getLog(Housekeeping.class);

	private static final Duration WATCHDOG_EVERY = Duration.ofMillis(500);

	private final ResquePool pool;

	private final ResqueRedis redis;

	private final PoolIdentity identity;

	private final Watchdog watchdog;

	private final PoolThread thread;

	private final Set<String> pendingUnregister = ConcurrentHashMap.newKeySet();

	private final Set<WorkerGroup> convergeRequested = ConcurrentHashMap.newKeySet();

	private final WakeUps wakeUps;

	Housekeeping(ResquePool pool, ResqueRedis redis, PoolIdentity identity) {
		this.pool = pool;
		this.redis = redis;
		this.identity = identity;
		this.watchdog = new Watchdog(pool, redis.jobs());
		this.thread = new PoolThread("resque-pool", false, redis.connectivity());
		PoolSettings settings = pool.settings();
		this.wakeUps = new WakeUps(pool, redis, settings.wakeUp(), settings.configureKeyspaceEvents());
	}

	/**
	 * @return how groups learn of jobs pushed by others
	 */
	WakeUps wakeUps() {
		return this.wakeUps;
	}

	/**
	 * @return the supervisor thread
	 */
	PoolThread thread() {
		return this.thread;
	}

	void start(PoolSettings settings) {
		this.thread.every(settings.pollInterval(), settings.pollInterval(), "poll tick", this::tick);
		this.thread.every(WATCHDOG_EVERY, WATCHDOG_EVERY, "watchdog", this.watchdog::check);
		this.thread.execute("subscription", this::subscribe);
		this.thread.every(settings.beatInterval(), settings.beatInterval(), "fleet check", this::checkFleet);
	}

	/**
	 * Runs when a fleet write was announced; on a Lettuce thread, so it only hands the
	 * work over.
	 */
	void fleetChanged() {
		this.thread.execute("fleet overrides", this::checkFleet);
	}

	private void checkFleet() {
		FleetSync fleet = this.pool.fleet();
		if (fleet != null && this.pool.canStartWorkers()) {
			fleet.check();
		}
	}

	/** Stops the supervisor thread, waiting briefly for a duty under way. */
	void stop() {
		this.thread.stop();
	}

	/**
	 * Asks for a group to converge on the supervisor thread; requests made while one is
	 * pending are merged.
	 * @param group the group
	 */
	void requestConverge(WorkerGroup group) {
		if (this.thread.isStopped() || !this.convergeRequested.add(group)) {
			return;
		}
		this.thread.execute("start of workers", () -> {
			this.convergeRequested.remove(group);
			group.convergeNow();
		});
	}

	/**
	 * Converges a group after a delay (a crash backoff, a start interval).
	 * @param group the group
	 * @param delay the delay
	 */
	void scheduleConverge(WorkerGroup group, Duration delay) {
		this.thread.schedule(delay, () -> requestConverge(group));
	}

	void tick() {
		for (WorkerGroup group : this.pool.allGroups()) {
			group.convergeNow();
			if (!this.pool.isPaused() && !group.paused() && group.hasIdleWorkers()) {
				group.wakeOne();
			}
		}
		this.pool.dropDrainedGroups();
		if (!this.pendingUnregister.isEmpty()) {
			List<String> ids = List.copyOf(this.pendingUnregister);
			this.redis.workers()
				.unregister(this.identity.poolId(), ids, this.pool.settings().requeueOnRecovery(),
						JobFailure.DIRTY_EXIT);
			this.pendingUnregister.removeAll(ids);
		}
		if (!this.redis.enqueueChannel().isSubscribed()) {
			subscribe();
		}
		this.wakeUps.keepSubscribed();
	}

	private void subscribe() {
		this.redis.enqueueChannel().subscribe(this.pool::enqueued, this::fleetChanged);
	}

	/**
	 * Unregisters a worker whose thread ended; when Redis does not answer, the next ticks
	 * try again.
	 * @param worker the worker
	 */
	void unregister(Worker worker) {
		try {
			boolean requeue = this.pool.settings().requeueOnRecovery();
			List<String> held = this.redis.workers()
				.unregister(this.identity.poolId(), List.of(worker.id()), requeue, JobFailure.DIRTY_EXIT);
			if (!held.isEmpty()) {
				logger.warn("Worker " + worker.id() + " left with a job still recorded; "
						+ (requeue ? "requeued it at the head of its queue" : "recorded it as Resque::DirtyExit"));
			}
		}
		catch (RuntimeException ex) {
			this.pendingUnregister.add(worker.id());
		}
	}

}
