package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The supervisor of the Resque workers of this application: a {@link SmartLifecycle} bean
 * that starts the configured groups of worker threads once the context is up, keeps each
 * group at its count, and drains them when the context closes.
 * <p>
 * Every control method is thread-safe and returns once the change is requested; the
 * effect follows on the workers' own threads: a pause takes effect as soon as running
 * jobs finish (the state shows {@code PAUSING} until then), a scale-up starts workers at
 * once (one per {@code start-interval} when set), a scale-down lets leaving workers
 * finish their current job.
 * <p>
 * Phase {@link #PHASE}: it starts after, and stops before, the web server
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}), so a worker dyno drains its jobs while
 * the web server still answers health checks, and before the Redis connection factory
 * (phase 0) stops.
 */
public class ResquePool implements SmartLifecycle {

	/** The lifecycle phase of the pool. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(ResquePool.class);

	private final ResqueRedis redis;

	private final JobRegistry registry;

	private final JobInvoker invoker;

	private final Supplier<PoolSettings> reloadSource;

	private final PoolEventSink events;

	private final ResqueThreads threads;

	private final String configuredHostname;

	private final ReentrantLock control = new ReentrantLock();

	private final GroupMap groups = new GroupMap();

	private final PoolState state;

	private volatile PoolSettings settings;

	/**
	 * The groups as configured when last applied (start or reload), for the three-way
	 * rule.
	 */
	private volatile Map<String, GroupSettings> configured;

	private volatile String lastReloadError;

	private volatile PoolIdentity identity;

	private volatile GroupContext context;

	private volatile Housekeeping housekeeping;

	private volatile Liveness liveness;

	private volatile FleetSync fleet;

	/** Completes once the workers of the first round are registered and started. */
	private volatile CompletableFuture<Void> firstStart = new CompletableFuture<>();

	private final Runnable onRedisRecovery = () -> {
		Liveness current = this.liveness;
		if (current != null) {
			current.redisRecovered();
		}
	};

	/**
	 * Creates the pool on threads made by the JDK's builders; nothing runs before
	 * {@link #start()}.
	 * @param redis the gateway
	 * @param registry the job handlers
	 * @param invoker runs jobs
	 * @param settings the validated configuration
	 * @param reloadSource reads and validates the configuration again for
	 * {@link #reload()}
	 * @param events publishes the pool's events
	 * @param listeners observers of jobs and workers (metrics)
	 * @param hostname a host name to use in worker ids instead of the system's, or
	 * {@code null}
	 */
	public ResquePool(ResqueRedis redis, JobRegistry registry, JobInvoker invoker, PoolSettings settings,
			Supplier<PoolSettings> reloadSource, ApplicationEventPublisher events, List<PoolListener> listeners,
			String hostname) {
		this(redis, registry, invoker, settings, reloadSource, events, listeners, hostname, ResqueThreads.standard());
	}

	/**
	 * Creates the pool; nothing runs before {@link #start()}.
	 * @param redis the gateway
	 * @param registry the job handlers
	 * @param invoker runs jobs
	 * @param settings the validated configuration
	 * @param reloadSource reads and validates the configuration again for
	 * {@link #reload()}
	 * @param events publishes the pool's events
	 * @param listeners observers of jobs and workers (metrics)
	 * @param hostname a host name to use in worker ids instead of the system's, or
	 * {@code null}
	 * @param threads makes the pool's threads, its workers' included
	 */
	public ResquePool(ResqueRedis redis, JobRegistry registry, JobInvoker invoker, PoolSettings settings,
			Supplier<PoolSettings> reloadSource, ApplicationEventPublisher events, List<PoolListener> listeners,
			String hostname, ResqueThreads threads) {
		this.redis = redis;
		this.registry = registry;
		this.invoker = invoker;
		this.settings = settings;
		this.reloadSource = reloadSource;
		this.events = new PoolEvents(this, events, listeners);
		this.threads = threads;
		this.configuredHostname = hostname;
		this.state = new PoolState(settings.paused());
		this.configured = settings.groups();
	}

	// ---- lifecycle

	/**
	 * Starts the pool: the liveness thread beats (after recovering the jobs of a previous
	 * pool in this same process, a restarted container), and once the first beat went
	 * through, the supervisor thread registers the groups' workers in Redis and starts
	 * their threads. This method waits for that at most one command timeout: when Redis
	 * is unreachable it returns and the pool keeps trying, bringing its workers up once
	 * Redis answers.
	 */
	@Override
	public void start() {
		this.control.lock();
		try {
			if (isRunning()) {
				return;
			}
			PoolSettings current = this.settings;
			this.identity = PoolIdentity.create(this.configuredHostname);
			this.identity.started();
			PoolWorkers workers = new PoolWorkers(this.redis, this.identity, this.registry, this.invoker, current,
					this.threads);
			this.housekeeping = new Housekeeping(this.redis, current, this.groups, this.state, workers, this.threads);
			this.context = new GroupContext(current, this.state, workers, this.housekeeping.thread(), this.events,
					this::beatSoon);
			this.fleet = new FleetSync(this.redis.fleet(), this.identity.poolId(), this.groups::running,
					new FleetControl(), this::beatSoon);
			this.liveness = new Liveness(this.redis, this.identity, current, this.groups, this::describe,
					this::registered, this.threads);
			this.groups.reset(current.groups().values().stream().map(this::newGroup).toList());
			this.state.setLifecycle(PoolState.Lifecycle.RUNNING);
			logger.info(
					"Starting resque-pool " + this.identity.poolId() + " on namespace '" + this.redis.keys().namespace()
							+ "': " + describeWorkload() + (this.state.isPaused() ? " (paused)" : ""));
			this.redis.connectivity().onRecovery(this.onRedisRecovery);
			this.firstStart = new CompletableFuture<>();
			this.housekeeping.start(this.fleet);
			this.liveness.start();
		}
		finally {
			this.control.unlock();
		}
		awaitFirstStart();
	}

	/**
	 * Waits for the first workers to be registered and started, but never longer than one
	 * command timeout: with Redis unreachable the pool goes on starting in the
	 * background.
	 */
	private void awaitFirstStart() {
		Duration limit = this.redis.connection().timeout();
		try {
			this.firstStart.get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("resque-pool could not register its workers within " + limit.toMillis()
					+ " ms; it keeps trying in the background and starts them once Redis answers");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// completed normally only
		}
	}

	/**
	 * Stops the pool and waits until it has drained; see {@link #stop(Runnable)}.
	 */
	@Override
	public void stop() {
		CountDownLatch done = new CountDownLatch(1);
		stop(done::countDown);
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops the pool gracefully, on a thread of its own: no job is taken from now on,
	 * running jobs may finish within {@code shutdown-timeout}; then the ones still
	 * running are cut off: put back at the head of their queue (or recorded as
	 * {@code Resque::DirtyExit}), and their threads interrupted. Every worker is
	 * unregistered, then {@code callback} runs. Calling it again while the pool drains
	 * neither shortens nor repeats the drain. The pool can be started again afterwards.
	 * @param callback run once the pool has stopped
	 */
	@Override
	public void stop(Runnable callback) {
		List<WorkerGroup> all;
		this.control.lock();
		try {
			if (this.state.lifecycle() != PoolState.Lifecycle.RUNNING) {
				callback.run();
				return;
			}
			this.state.setLifecycle(PoolState.Lifecycle.STOPPING);
			all = this.groups.all();
			all.forEach(WorkerGroup::retireAll);
		}
		finally {
			this.control.unlock();
		}
		Housekeeping supervisor = this.housekeeping;
		Liveness beats = this.liveness;
		PoolIdentity stopping = this.identity;
		Runnable stopHousekeeping = () -> {
			beats.stop();
			supervisor.stop();
		};
		Drain drain = new Drain(this.redis, stopping, all, this.settings.requeueOnRecovery(), stopHousekeeping);
		Duration timeout = this.settings.shutdownTimeout();
		this.threads.platform("resque-pool-shutdown", false, () -> {
			try {
				drain.run(timeout);
			}
			finally {
				this.redis.connectivity().removeOnRecovery(this.onRedisRecovery);
				stopping.stopped();
				stopHousekeeping.run();
				all.forEach((group) -> group.fetcher().close());
				this.state.setLifecycle(PoolState.Lifecycle.STOPPED);
				callback.run();
			}
		}).start();
	}

	@Override
	public boolean isRunning() {
		PoolState.Lifecycle lifecycle = this.state.lifecycle();
		return lifecycle == PoolState.Lifecycle.RUNNING || lifecycle == PoolState.Lifecycle.STOPPING;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	// ---- control

	/**
	 * Pauses every group: running jobs finish, then no job is taken until
	 * {@link #resume()}.
	 */
	public void pause() {
		this.state.setPaused(true);
		this.groups.running().forEach(WorkerGroup::wakeAll);
		logger.info("Pausing resque-pool: running jobs finish, no new job is taken");
		this.events.paused(null);
	}

	/**
	 * Pauses one group: its running jobs finish, then it takes no job until resumed.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void pause(String group) {
		this.groups.require(group).setPaused(true);
		logger.info("Pausing group '" + group + "'");
		this.events.paused(group);
	}

	/** Resumes the pool; groups paused one by one stay paused. Effective at once. */
	public void resume() {
		this.state.setPaused(false);
		this.groups.running().forEach(WorkerGroup::wakeAll);
		logger.info("Resuming resque-pool");
		this.events.resumed(null);
	}

	/**
	 * Resumes one group. Effective at once, unless the whole pool is paused.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void resume(String group) {
		this.groups.require(group).setPaused(false);
		logger.info("Resuming group '" + group + "'");
		this.events.resumed(group);
	}

	/**
	 * Sets a group's number of workers. More workers start at once (one per
	 * {@code start-interval} when set); fewer let the leaving ones finish their current
	 * job first.
	 * @param group the group's name
	 * @param count the new count, 0 or more
	 * @return the count before
	 * @throws IllegalArgumentException when there is no such group, the count is
	 * negative, or the total of all groups would exceed {@code max-workers}; nothing
	 * changes then
	 */
	public int scale(String group, int count) {
		this.control.lock();
		try {
			WorkerGroup target = this.groups.require(group);
			if (count < 0) {
				throw new IllegalArgumentException("count must be 0 or more, was " + count);
			}
			int max = this.settings.maxWorkers();
			if (count > max) {
				throw new IllegalArgumentException("scaling '" + group + "' to " + count
						+ " workers would be more than resque.pool.max-workers=" + max);
			}
			// A long: the counts of several groups, each within max-workers, still add up
			// past an int.
			long total = this.groups.running().stream().mapToLong((g) -> (g == target) ? count : g.desired()).sum();
			if (total > max) {
				throw new IllegalArgumentException("scaling '" + group + "' to " + count + " would make " + total
						+ " workers, more than resque.pool.max-workers=" + max);
			}
			int before = target.desired();
			Map<String, GroupSettings> updated = new LinkedHashMap<>(this.settings.groups());
			updated.computeIfPresent(group, (name, settings) -> settings.withCount(count));
			this.settings = this.settings.withGroups(updated);
			target.setDesired(count);
			logger.info("Scaled group '" + group + "' from " + before + " to " + count + " workers");
			this.events.scaled(group, before, count);
			return before;
		}
		finally {
			this.control.unlock();
		}
	}

	/**
	 * Reads {@code resque.pool.*} again and converges to it group by group: unchanged
	 * groups keep running untouched, groups with a new count scale, groups with new
	 * queues are replaced (old workers finish their job first), removed groups drain, new
	 * groups start. An invalid configuration changes nothing and is kept as
	 * {@link PoolStatus#lastReloadError()}. Settings other than the groups take effect at
	 * the next start.
	 * @return what changed, or why nothing did
	 */
	public ReloadResult reload() {
		PoolSettings next;
		try {
			next = this.reloadSource.get();
		}
		catch (RuntimeException ex) {
			this.lastReloadError = ex.getMessage();
			logger.warn("Reload refused, the pool keeps running unchanged: " + ex.getMessage());
			return ReloadResult.refused(ex.getMessage());
		}
		this.control.lock();
		try {
			List<String> changes = new Reconciliation(this.groups, this::newGroup).apply(this.configured,
					next.groups());
			Map<String, GroupSettings> running = new LinkedHashMap<>();
			this.groups.running()
				.forEach((g) -> running.put(g.name(), next.groups().get(g.name()).withCount(g.desired())));
			this.settings = this.settings.withGroups(running);
			this.configured = next.groups();
			this.lastReloadError = null;
			logger.info("Reloaded resque-pool: " + (changes.isEmpty() ? "no change" : String.join("; ", changes)));
			this.events.reloaded(changes);
			return ReloadResult.applied(changes);
		}
		finally {
			this.control.unlock();
		}
	}

	/**
	 * @return an immutable snapshot of the pool
	 */
	public PoolStatus status() {
		PoolIdentity id = this.identity;
		FleetSync overrides = this.fleet;
		return new StatusSnapshot(this.state, this.groups.running(), this.groups.draining(),
				this.settings.maxStuckWorkers())
			.take(Instant.now(), (id != null) ? id.poolId() : null, this.redis.connectivity().isUp(),
					this.lastReloadError, (overrides != null) ? overrides.current() : null);
	}

	// ---- the parts' hooks

	/**
	 * The first beat went through: the groups start their workers, after the fleet's
	 * stored overrides. Called on the liveness thread.
	 */
	private void registered() {
		this.state.registered();
		CompletableFuture<Void> started = this.firstStart;
		FleetSync overrides = this.fleet;
		this.housekeeping.thread().execute("start of workers", () -> {
			try {
				try {
					overrides.sync();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not read the fleet's overrides before the first workers start ("
							+ ex.getMessage() + "); they are applied at the next beat");
				}
				this.groups.running().forEach(WorkerGroup::convergeNow);
			}
			finally {
				started.complete(null);
			}
		});
	}

	private String describe(String started, int workers) {
		return PoolView.json(this.identity, started, workers, this.settings.maxWorkers(), status(), this.fleet);
	}

	/** Beats soon, so that the fleet sees a change without waiting for the next beat. */
	private void beatSoon() {
		Liveness current = this.liveness;
		if (current != null) {
			current.beatSoon();
		}
	}

	private WorkerGroup newGroup(GroupSettings group) {
		WorkerGroup created = new WorkerGroup(group, this.context);
		this.housekeeping.arm(created);
		return created;
	}

	private String describeWorkload() {
		List<String> parts = new ArrayList<>();
		this.settings.groups().values().forEach((g) -> parts.add(g.name() + " [" + g.queues() + "] x" + g.count()));
		return parts.isEmpty() ? "no worker groups" : String.join(", ", parts);
	}

	/** Fleet commands go through the control API, as local ones. */
	private final class FleetControl implements FleetSync.Control {

		@Override
		public void pause(String group, boolean pause) {
			if (pause) {
				ResquePool.this.pause(group);
			}
			else {
				ResquePool.this.resume(group);
			}
		}

		@Override
		public void scale(String group, int count) {
			ResquePool.this.scale(group, count);
		}

		@Override
		public int configuredCount(String group) {
			GroupSettings configured = ResquePool.this.configured.get(group);
			return (configured != null) ? configured.count() : 0;
		}

	}

}
