package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.Recovery;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.worker.JobFailure;
import io.github.resquepool.worker.JobTimeoutException;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * The pool's background duties, all on its single housekeeping thread: the poll tick (converge
 * groups, wake one idle worker per group), the beat (pool liveness every few seconds, worker
 * heartbeats every {@code heartbeat-interval}, one script call each), the recovery of dead
 * pools, Ruby's pruning rule, and the job-timeout watchdog. A failing duty is retried at its next
 * turn; none can stop the others.
 */
final class Housekeeping {

	private static final Log logger = LogFactory.getLog(Housekeeping.class);

	private static final Duration PRUNE_EVERY = Duration.ofSeconds(60);

	private static final Duration WATCHDOG_EVERY = Duration.ofMillis(500);

	private static final String PRUNE_EXCEPTION = "Resque::PruneDeadWorkerDirtyExit";

	private final ResquePool pool;

	private final ResqueRedis redis;

	private final PoolIdentity identity;

	private final String started;

	private final Set<String> pendingUnregister = ConcurrentHashMap.newKeySet();

	private final Set<String> reportedHeartbeats = ConcurrentHashMap.newKeySet();

	private final Map<Worker, Instant> interrupted = new ConcurrentHashMap<>();

	private volatile Instant lastWorkerBeat = Instant.MIN;

	private volatile long lastBeatNanos;

	private volatile long recoveryHeldUntil;

	private volatile boolean subscribed;

	Housekeeping(ResquePool pool, ResqueRedis redis, PoolIdentity identity) {
		this.pool = pool;
		this.redis = redis;
		this.identity = identity;
		this.started = RubyTime.timeToS(ZonedDateTime.now());
	}

	/** The first round, on the starting thread: recover a predecessor, beat, prune, subscribe. */
	void startup() {
		guarded("start-up", () -> {
			recoverPredecessors();
			beat();
			subscribe();
		});
		guarded("pruning", this::prune);
	}

	/**
	 * Runs when Redis is back after an outage: beat at once with every worker's heartbeat, so
	 * workers that a restarted Redis lost are registered again without waiting an interval.
	 */
	void redisRecovered() {
		this.lastWorkerBeat = Instant.MIN;
		guarded("beat after an outage", this::beat);
	}

	void schedule(ScheduledExecutorService executor, PoolSettings settings) {
		every(executor, settings.pollInterval(), "poll tick", this::tick);
		every(executor, settings.beatInterval(), "beat", () -> {
			beat();
			recoverDeadPools();
		});
		every(executor, PRUNE_EVERY, "pruning", this::prune);
		every(executor, WATCHDOG_EVERY, "watchdog", this::watchdog);
	}

	private void every(ScheduledExecutorService executor, Duration period, String name, Runnable task) {
		long millis = Math.max(10, period.toMillis());
		executor.scheduleWithFixedDelay(() -> guarded(name, task), millis, millis, TimeUnit.MILLISECONDS);
	}

	private void guarded(String name, Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			// Redis outages are logged once by Connectivity; anything else is a bug worth seeing.
			if (this.redis.connectivity().isUp()) {
				logger.warn("resque-pool " + name + " failed; retrying at its next turn", ex);
			}
		}
	}

	// ---- poll tick

	void tick() {
		for (WorkerGroup group : this.pool.allGroups()) {
			group.converge();
			if (!this.pool.isPaused() && !group.paused() && group.hasIdleWorkers()) {
				group.wakeOne();
			}
		}
		this.pool.dropDrainedGroups();
		if (!this.pendingUnregister.isEmpty()) {
			List<String> ids = List.copyOf(this.pendingUnregister);
			this.redis.unregister(this.identity.poolId(), ids, this.pool.settings().requeueOnRecovery(), JobFailure.DIRTY_EXIT);
			this.pendingUnregister.removeAll(ids);
		}
		if (!this.subscribed) {
			subscribe();
		}
	}

	private void subscribe() {
		this.redis.subscribeEnqueued(this.pool::enqueued);
		this.subscribed = true;
	}

	// ---- beat, re-registration, recovery

	void beat() {
		Instant now = Instant.now();
		PoolSettings settings = this.pool.settings();
		boolean workersDue = Duration.between(this.lastWorkerBeat, now).compareTo(settings.heartbeatInterval()) >= 0;
		List<Worker> alive = aliveWorkers();
		List<String> ids = workersDue ? alive.stream().map(Worker::id).toList() : List.of();
		ResqueRedis.Beat beat = this.redis.heartbeat(this.identity.poolId(), info(alive.size()), ids);
		// When the beat got through counts, not when it was sent: during an outage the client holds
		// commands back until Redis answers again.
		long nanos = System.nanoTime();
		if (this.lastBeatNanos != 0 && nanos - this.lastBeatNanos > settings.beatInterval().multipliedBy(2).toNanos()) {
			// While this pool could not beat, the others could not either, or they saw it silent:
			// give them a recovery-timeout to beat again before taking anyone for dead.
			this.recoveryHeldUntil = nanos + settings.recoveryTimeout().toNanos();
			logger.info("resque-pool " + this.identity.poolId() + " could not beat for "
					+ Duration.ofNanos(nanos - this.lastBeatNanos).toSeconds() + " s; it recovers no other pool for "
					+ settings.recoveryTimeout().toSeconds() + " s");
		}
		boolean first = this.lastBeatNanos == 0;
		this.lastBeatNanos = nanos;
		if (workersDue) {
			this.lastWorkerBeat = now;
		}
		if (!beat.poolKnown() && !first && !workersDue) {
			logger.warn("Redis no longer knew resque-pool " + this.identity.poolId()
					+ " (restarted without its data?); registering its workers again");
			this.lastWorkerBeat = Instant.MIN;
			beat();
			return;
		}
		List<String> stillAlive = new ArrayList<>(beat.unregistered());
		stillAlive.retainAll(aliveWorkers().stream().map(Worker::id).toList());
		if (!stillAlive.isEmpty()) {
			logger.warn("Workers " + stillAlive + " were no longer registered (removed by a pruner, such as a Ruby "
					+ "worker on this host with queue list '*', or lost by a restarted Redis); registering them again");
			this.redis.register(this.identity.poolId(), this.started, stillAlive);
		}
	}

	private String info(int workers) {
		return "{\"host\":\"" + this.identity.hostname() + "\",\"pid\":" + this.identity.pid() + ",\"started\":\""
				+ this.started + "\",\"workers\":" + workers + "}";
	}

	private void recoverPredecessors() {
		for (String poolId : this.redis.pools()) {
			if (this.identity.isPredecessor(poolId)) {
				recover(poolId, Duration.ZERO, "it ran in this same process before (a restart)");
			}
		}
	}

	void recoverDeadPools() {
		if (this.recoveryHeldUntil != 0 && System.nanoTime() - this.recoveryHeldUntil < 0) {
			return;
		}
		Duration timeout = this.pool.settings().recoveryTimeout();
		for (String poolId : this.redis.silentPools(timeout)) {
			if (!poolId.equals(this.identity.poolId())) {
				recover(poolId, timeout, "it has not beaten for " + timeout.toSeconds() + " s");
			}
		}
	}

	private void recover(String poolId, Duration timeout, String why) {
		boolean requeue = this.pool.settings().requeueOnRecovery();
		Recovery recovery = this.redis.recover(poolId, timeout, RubyTime.failedAtNow(), requeue);
		if (recovery == null) {
			return;
		}
		logger.warn("Recovered dead pool " + poolId + " (" + why + "): unregistered " + recovery.workers() + " workers, "
				+ (requeue ? "requeued at the head of their queues " : "recorded as Resque::DirtyExit ")
				+ recovery.jobs().size() + " in-flight jobs" + (recovery.jobs().isEmpty() ? "" : ": " + recovery.jobs()));
	}

	// ---- Ruby's pruning rule

	/**
	 * Unregisters workers whose heartbeat is older than {@code prune-interval}, under Ruby's lock
	 * and rule, so a Java-only deployment cleans up dead workers too. Values it cannot read are
	 * skipped and reported once.
	 */
	void prune() {
		if (!this.redis.acquirePruneLock(this.identity.poolId(), PRUNE_EVERY)) {
			return;
		}
		long nowSeconds = this.redis.serverTimeMillis() / 1000;
		long limit = this.pool.settings().pruneInterval().toSeconds();
		List<String> dead = new ArrayList<>();
		this.redis.heartbeats().forEach((id, value) -> {
			var beat = RubyTime.parse(value);
			if (beat.isEmpty()) {
				if (this.reportedHeartbeats.add(id)) {
					logger.warn("Cannot read the heartbeat '" + value + "' of worker " + id + "; the pruner skips it");
				}
			}
			else if (nowSeconds - beat.get().getEpochSecond() > limit) {
				dead.add(id);
			}
		});
		if (!dead.isEmpty()) {
			List<String> withJobs = this.redis.unregister("", dead, false, PRUNE_EXCEPTION);
			logger.info("Pruned " + dead.size() + " dead workers (heartbeat older than " + limit + " s): " + dead
					+ (withJobs.isEmpty() ? "" : "; recorded " + PRUNE_EXCEPTION + " for " + withJobs));
		}
	}

	// ---- job timeouts

	void watchdog() {
		Instant now = this.pool.now();
		for (WorkerGroup group : this.pool.allGroups()) {
			for (Worker worker : group.workers()) {
				RunningJob job = worker.currentJob();
				if (job == null || !job.overdue(now)) {
					this.interrupted.remove(worker);
					continue;
				}
				Instant at = this.interrupted.get(worker);
				if (at == null) {
					this.interrupted.put(worker, now);
					String stack = stack(worker.thread());
					logger.warn("Job " + job.className() + " on worker " + worker.id() + " ran past its timeout of "
							+ job.timeout().toMillis() + " ms; interrupting it. Its stack:" + stack);
					worker.interruptForTimeout(stack);
				}
				else if (Duration.between(at, now).compareTo(stuckGrace(job)) > 0) {
					stuck(group, worker);
				}
			}
		}
	}

	private static Duration stuckGrace(RunningJob job) {
		Duration tenth = job.timeout().dividedBy(10);
		return (tenth.compareTo(Duration.ofSeconds(5)) > 0) ? tenth : Duration.ofSeconds(5);
	}

	private void stuck(WorkerGroup group, Worker worker) {
		this.interrupted.remove(worker);
		RunningJob job = worker.takeOver();
		if (job == null) {
			return;
		}
		JobTimeoutException error = new JobTimeoutException(job.className(), job.timeout());
		this.redis.requeue(worker.id(), job.statusSha(),
				JobFailure.of(new IllegalStateException(error.getMessage() + ", and ignored the interrupt (stuck)"),
						worker.id(), job.queue(), job.payload()));
		worker.markStuck();
		logger.error("Job " + job.className() + " on worker " + worker.id() + " ignores its interrupt; recorded it as "
				+ "failed and starting a replacement worker. Its stack:" + stack(worker.thread()));
		group.converge();
	}

	private static String stack(Thread thread) {
		if (thread == null) {
			return " (no thread)";
		}
		StringBuilder text = new StringBuilder();
		for (StackTraceElement frame : thread.getStackTrace()) {
			text.append("\n\tat ").append(frame);
		}
		return text.toString();
	}

	// ---- unregistration of exited workers

	void unregister(Worker worker) {
		try {
			List<String> held = this.redis.unregister(this.identity.poolId(), List.of(worker.id()),
					this.pool.settings().requeueOnRecovery(), JobFailure.DIRTY_EXIT);
			if (!held.isEmpty()) {
				logger.warn("Worker " + worker.id() + " left with a job still recorded; "
						+ (this.pool.settings().requeueOnRecovery() ? "requeued it at the head of its queue"
								: "recorded it as Resque::DirtyExit"));
			}
		}
		catch (RuntimeException ex) {
			this.pendingUnregister.add(worker.id());
		}
	}

	private List<Worker> aliveWorkers() {
		List<Worker> alive = new ArrayList<>();
		for (WorkerGroup group : this.pool.allGroups()) {
			for (Worker worker : group.workers()) {
				if (worker.state() != WorkerState.STOPPED) {
					alive.add(worker);
				}
			}
		}
		return alive;
	}

}
