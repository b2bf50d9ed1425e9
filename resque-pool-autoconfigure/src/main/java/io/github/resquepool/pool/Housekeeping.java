package io.github.resquepool.pool;

import java.time.Duration;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The supervisor thread and its duties: converging groups (starting and retiring workers,
 * which registers them in Redis), the poll tick (wake one idle worker per group), retries
 * of unregistrations that failed, the wake-up of jobs held back by limits, the wake-up
 * subscription, and the {@link Watchdog}'s rounds. The pool's events and listeners are
 * called from here and from the workers' threads, never from the {@link Liveness} thread.
 * A failing duty is retried at its next turn; none can stop the others.
 */
final class Housekeeping {

	private static final Duration WATCHDOG_EVERY = Duration.ofMillis(500);

	private static final Duration LIMITS_EVERY = Duration.ofMillis(250);

	private final ResqueRedis redis;

	private final PoolSettings settings;

	private final GroupMap groups;

	private final PoolState pool;

	private final PoolWorkers workers;

	private final Watchdog watchdog;

	private final PoolThread thread;

	private final WakeUps wakeUps;

	private volatile FleetSync fleet;

	/**
	 * Creates the duties of one pool run; nothing runs before {@link #start(FleetSync)}
	 * but what is handed to {@link #thread()}.
	 * @param redis the gateway
	 * @param settings the pool's settings
	 * @param groups the pool's groups
	 * @param pool the pool's state
	 * @param workers the launcher of the pool's workers
	 * @param threads makes the supervisor thread
	 */
	Housekeeping(ResqueRedis redis, PoolSettings settings, GroupMap groups, PoolState pool, PoolWorkers workers,
			ResqueThreads threads) {
		this.redis = redis;
		this.settings = settings;
		this.groups = groups;
		this.pool = pool;
		this.workers = workers;
		this.watchdog = new Watchdog(groups::all, redis.jobs(), settings.maxStuckWorkers(),
				settings.jobLimits().cancelGrace());
		this.thread = new PoolThread("resque-pool", false, redis.connectivity(), threads);
		this.wakeUps = new WakeUps(groups::enqueued, settings.pollInterval(), redis, settings.wakeUp(),
				settings.configureKeyspaceEvents());
	}

	/**
	 * @return the supervisor thread
	 */
	PoolThread thread() {
		return this.thread;
	}

	/**
	 * Starts the wake-up of a group on the supervisor thread: how it learns of jobs
	 * pushed by others.
	 * @param group the group
	 */
	void arm(WorkerGroup group) {
		this.thread.execute("wake-up of group " + group.name(), () -> this.wakeUps.arm(group));
	}

	/**
	 * Starts the periodic duties.
	 * @param fleet the fleet overrides the pool follows
	 */
	void start(FleetSync fleet) {
		this.fleet = fleet;
		Duration poll = this.settings.pollInterval();
		this.thread.every(poll, poll, "poll tick", this::tick);
		this.thread.every(WATCHDOG_EVERY, WATCHDOG_EVERY, "watchdog", this.watchdog::check);
		if (this.workers.runsLimitedJobs()) {
			// Held-back jobs go back to their queues when their rate window ends; a slot
			// that frees puts one back by itself.
			this.thread.every(LIMITS_EVERY, LIMITS_EVERY, "limits", this.redis.limits()::wakeDue);
		}
		this.thread.execute("subscription", this::subscribe);
		Duration beat = this.settings.beatInterval();
		this.thread.every(beat, beat, "fleet check", this::checkFleet);
	}

	/**
	 * Runs when a fleet write was announced; on a Lettuce thread, so it only hands the
	 * work over.
	 */
	void fleetChanged() {
		this.thread.execute("fleet overrides", this::checkFleet);
	}

	private void checkFleet() {
		FleetSync current = this.fleet;
		if (current != null && this.pool.canStartWorkers()) {
			current.check();
		}
	}

	/** Stops the supervisor thread, waiting briefly for a duty under way. */
	void stop() {
		this.thread.stop();
	}

	void tick() {
		for (WorkerGroup group : this.groups.all()) {
			group.convergeNow();
			if (!this.pool.isPaused() && !group.paused() && group.hasIdleWorkers()) {
				group.wakeOne();
			}
		}
		this.groups.dropDrained();
		this.workers.retryUnregister();
		if (!this.redis.enqueueChannel().isSubscribed()) {
			subscribe();
		}
		this.wakeUps.keepSubscribed();
	}

	private void subscribe() {
		this.redis.enqueueChannel().subscribe(this.groups::enqueued, this::fleetChanged);
	}

}
