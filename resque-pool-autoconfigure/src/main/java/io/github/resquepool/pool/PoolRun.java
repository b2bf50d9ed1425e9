package io.github.resquepool.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * One run of a pool, from a start to the end of its stop: its identity, the launcher of
 * its workers, its supervisor ({@link Housekeeping}), its {@link Liveness} and the fleet
 * overrides it follows, wired together. The pool makes a new one at every start.
 */
final class PoolRun {

	private static final Log logger = LogFactory.getLog(PoolRun.class);

	private final ResqueRedis redis;

	private final PoolSettings settings;

	private final GroupMap groups;

	private final PoolState state;

	private final PoolIdentity identity;

	private final GroupContext context;

	private final Housekeeping housekeeping;

	private final Liveness liveness;

	private final FleetSync fleet;

	private final Supplier<PoolStatus> status;

	private final ResqueThreads threads;

	/** Completes once the workers of the first round are registered and started. */
	private final CompletableFuture<Void> firstStart = new CompletableFuture<>();

	private final Runnable onRedisRecovery;

	private final PoolEventSink events;

	private final MemoryGuard memory;

	/**
	 * Wires a run; nothing runs before {@link #start()}.
	 * @param redis the gateway
	 * @param registry the job handlers
	 * @param invoker runs jobs
	 * @param settings the pool's settings at the start
	 * @param hostname a host name for worker ids, or {@code null}
	 * @param groups the pool's groups
	 * @param state the pool's state
	 * @param events the pool's event sink
	 * @param control applies fleet commands through the pool's control
	 * @param status the pool's status, for its beats
	 * @param threads makes the run's threads
	 */
	PoolRun(ResqueRedis redis, JobRegistry registry, JobInvoker invoker, PoolSettings settings, String hostname,
			GroupMap groups, PoolState state, PoolEventSink events, FleetSync.Control control,
			Supplier<PoolStatus> status, ResqueThreads threads) {
		this.redis = redis;
		this.settings = settings;
		this.groups = groups;
		this.state = state;
		this.status = status;
		this.threads = threads;
		this.identity = PoolIdentity.create(hostname);
		PoolWorkers workers = new PoolWorkers(redis, this.identity, registry, invoker, settings, threads);
		this.housekeeping = new Housekeeping(redis, settings, groups, state, workers, threads);
		this.context = new GroupContext(settings, state, workers, this.housekeeping.thread(), events, this::beatSoon);
		this.fleet = new FleetSync(redis.fleet(), this.identity.poolId(), groups::running, control, this::beatSoon,
				new PoolCancels(redis.cancels(), this.identity.poolId(), groups::all));
		this.liveness = new Liveness(redis, this.identity, settings, groups, this::describe, this::registered, threads);
		this.onRedisRecovery = this.liveness::redisRecovered;
		this.events = events;
		MemoryLimit limit = settings.jobLimits().memoryLimit();
		this.memory = (limit != null) ? new MemoryGuard(limit, state, () -> groups.all().forEach(WorkerGroup::wakeAll),
				this::memoryLimitExceeded) : null;
	}

	private void memoryLimitExceeded(MemoryGuard.Exceeded exceeded) {
		this.state.draining(exceeded.reason());
		logger.error(exceeded.reason() + ": draining as on SIGTERM, then the application exits so that a fresh one "
				+ "starts");
		this.events.memoryLimitExceeded(exceeded.usedBytes(), exceeded.limit().bytes(), exceeded.reason());
	}

	PoolIdentity identity() {
		return this.identity;
	}

	FleetSync fleet() {
		return this.fleet;
	}

	/**
	 * Creates the run's groups and starts its threads: the liveness beats, and once the
	 * first beat went through, the supervisor starts the groups' workers.
	 */
	void start() {
		logger.info("Starting resque-pool " + this.identity.poolId() + " on namespace '" + this.redis.keys().namespace()
				+ "': " + describeWorkload() + (this.state.isPaused() ? " (paused)" : ""));
		this.identity.started();
		this.groups.reset(this.settings.groups().values().stream().map(this::newGroup).toList());
		this.state.setLifecycle(PoolState.Lifecycle.RUNNING);
		this.redis.connectivity().onRecovery(this.onRedisRecovery);
		this.housekeeping.start(this.fleet);
		this.liveness.start();
		if (this.memory != null) {
			this.memory.start();
			this.housekeeping.thread()
				.every(Duration.ofSeconds(1), Duration.ofSeconds(1), "memory limit", this.memory::check);
		}
	}

	/**
	 * Waits for the first workers to be registered and started, but never longer than one
	 * command timeout: with Redis unreachable the pool goes on starting in the
	 * background.
	 */
	void awaitFirstStart() {
		Duration limit = this.redis.timeout();
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
	 * Makes a group of this run, armed for wake-ups.
	 * @param group the group's settings
	 * @return the group
	 */
	WorkerGroup newGroup(GroupSettings group) {
		WorkerGroup created = new WorkerGroup(group, this.context);
		this.housekeeping.arm(created);
		return created;
	}

	/**
	 * Drains retired groups on the {@code resque-pool-shutdown} thread, then ends the
	 * run: its beats and duties stop and its records are removed.
	 * @param all every group of the run, all retired
	 * @param stopped runs at the end, on the shutdown thread
	 */
	void drain(List<WorkerGroup> all, Runnable stopped) {
		Runnable stopDuties = () -> {
			this.liveness.stop();
			this.housekeeping.stop();
			if (this.memory != null) {
				this.memory.stop();
			}
		};
		Drain drain = new Drain(this.redis, this.identity, all, this.settings.requeueOnRecovery(), stopDuties);
		// Daemon or not as the thread that stops the pool, as Thread.ofPlatform() makes
		// it.
		this.threads.platform("resque-pool-shutdown", Thread.currentThread().isDaemon(), () -> {
			try {
				drain.run(this.settings.shutdownTimeout());
			}
			finally {
				this.redis.connectivity().removeOnRecovery(this.onRedisRecovery);
				this.identity.stopped();
				stopDuties.run();
				all.forEach((group) -> group.fetcher().close());
				stopped.run();
			}
		}).start();
	}

	/** Beats soon, so that the fleet sees a change without waiting for the next beat. */
	void beatSoon() {
		this.liveness.beatSoon();
	}

	/**
	 * The first beat went through: the groups start their workers, after the fleet's
	 * stored overrides. Called on the liveness thread.
	 */
	private void registered() {
		this.state.registered();
		this.housekeeping.thread().execute("start of workers", () -> {
			try {
				try {
					this.fleet.sync();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not read the fleet's overrides before the first workers start ("
							+ ex.getMessage() + "); they are applied at the next beat");
				}
				this.groups.running().forEach(WorkerGroup::convergeNow);
			}
			finally {
				this.firstStart.complete(null);
			}
		});
	}

	private String describeWorkload() {
		List<String> parts = new ArrayList<>();
		this.settings.groups().values().forEach((g) -> parts.add(g.name() + " [" + g.queues() + "] x" + g.count()));
		return parts.isEmpty() ? "no worker groups" : String.join(", ", parts);
	}

	private String describe(String started, int workers) {
		return PoolView.json(this.identity, started, workers, this.settings.maxWorkers(), this.status.get(),
				this.fleet);
	}

}
