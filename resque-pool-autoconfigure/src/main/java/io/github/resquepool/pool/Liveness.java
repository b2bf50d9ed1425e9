package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.PoolStore;
import io.github.resquepool.resque.Recovery;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.ServerInfo;
import io.github.resquepool.resque.WorkerStore;
import io.github.resquepool.thread.ResqueThreads;
import io.github.resquepool.worker.Worker;

/**
 * Whether this pool and its workers are known alive, and what becomes of those that are
 * not: the pool's beat (liveness every few seconds, worker heartbeats every
 * {@code heartbeat-interval}), the recovery of pools that stopped beating, and Ruby's
 * pruning of workers with expired heartbeats. It runs on a thread of its own, which never
 * runs user code and never waits behind worker registration, so a busy or blocked
 * supervisor cannot make this pool look dead.
 * <p>
 * After an outage nobody could beat, so nobody is taken for dead at once: recovery of
 * other pools is held for one {@code recovery-timeout}, pruning for one
 * {@code prune-interval}, so that every live pool and worker, Ruby's included, has beaten
 * again first.
 */
final class Liveness {

	/** The longest another pool's client may wait before it tries Redis again. */
	private static final Duration MAX_RECONNECT_LAG = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(Liveness.class);

	private static final Duration PRUNE_EVERY = Duration.ofSeconds(60);

	private static final String PRUNE_EXCEPTION = "Resque::PruneDeadWorkerDirtyExit";

	private static final int MAX_REPORTED = 1000;

	private final PoolSettings settings;

	private final GroupMap groups;

	private final BiFunction<String, Integer, String> info;

	private final Runnable onRegistered;

	private final PoolStore pools;

	private final WorkerStore workers;

	private final ServerInfo server;

	private final PoolIdentity identity;

	private final String started;

	private final PoolThread thread;

	private final Set<String> reportedHeartbeats = ConcurrentHashMap.newKeySet();

	private volatile Instant lastWorkerBeat = Instant.MIN;

	private volatile long lastBeatNanos;

	private volatile long recoveryHeldUntil;

	private volatile long pruneHeldUntil;

	private volatile boolean registered;

	private volatile boolean checked;

	private final AtomicBoolean beatRequested = new AtomicBoolean();

	/**
	 * Creates the liveness of one pool run; nothing runs before {@link #start()}.
	 * @param redis the gateway, for its pool, worker and server stores
	 * @param identity the pool
	 * @param settings the pool's settings
	 * @param groups the pool's groups, whose workers beat
	 * @param info describes the pool for its beat, given when it started (Ruby's
	 * {@code Time#to_s}) and the number of its live workers
	 * @param onRegistered runs once the first beat went through, on the liveness thread
	 * @param threads makes the liveness thread
	 */
	Liveness(ResqueRedis redis, PoolIdentity identity, PoolSettings settings, GroupMap groups,
			BiFunction<String, Integer, String> info, Runnable onRegistered, ResqueThreads threads) {
		this.settings = settings;
		this.groups = groups;
		this.info = info;
		this.onRegistered = onRegistered;
		this.pools = redis.pools();
		this.workers = redis.workers();
		this.server = redis.server();
		this.identity = identity;
		this.started = RubyTime.timeToS(ZonedDateTime.now());
		this.thread = new PoolThread("resque-pool-liveness", true, redis.connectivity(), threads);
	}

	/**
	 * Starts the duties on the liveness thread: first the start-up round (server checks,
	 * recovery of a predecessor in this same process, the first beat), then the periodic
	 * ones. Returns at once.
	 */
	void start() {
		PoolSettings settings = this.settings;
		this.thread.every(Duration.ZERO, settings.beatInterval(), "beat", this::beatAndRecover);
		Duration prune = Duration
			.ofMillis(Math.max(500, Math.min(PRUNE_EVERY.toMillis(), settings.pruneInterval().toMillis() / 2)));
		this.thread.every(Duration.ZERO, prune, "pruning", this::prune);
	}

	/**
	 * Stops the duties, waiting briefly for a beat under way; the pool's records stay.
	 */
	void stop() {
		this.thread.stop();
	}

	/**
	 * Beats as soon as the liveness thread is free, with the pool's view as it is now;
	 * requests made while one is pending are merged.
	 */
	void beatSoon() {
		if (this.registered && this.beatRequested.compareAndSet(false, true)) {
			this.thread.execute("beat", () -> {
				this.beatRequested.set(false);
				beat();
			});
		}
	}

	/**
	 * @return whether the pool's first beat went through, so that its workers may take
	 * jobs
	 */
	boolean isRegistered() {
		return this.registered;
	}

	/**
	 * Runs when Redis is back after an outage: beat at once with every worker's
	 * heartbeat, so workers that a restarted Redis lost are registered again without
	 * waiting an interval, and hold recovery and pruning.
	 */
	void redisRecovered() {
		this.thread.execute("beat after an outage", () -> {
			holdAfterOutage("Redis was unreachable");
			this.lastWorkerBeat = Instant.MIN;
			beat();
		});
	}

	private void beatAndRecover() {
		if (!this.checked) {
			checkServer();
			recoverPredecessors();
			this.checked = true;
		}
		beat();
		recoverDeadPools();
	}

	private void checkServer() {
		ServerInfo.Facts facts = this.server.facts();
		if (facts.tooOld()) {
			logger
				.error("Redis " + facts.version() + " is too old for resque-pool: it needs Redis " + ServerInfo.MINIMUM
						+ " or newer (its scripts call SMISMEMBER); workers cannot take jobs until Redis is upgraded");
		}
		if (facts.mayEvict()) {
			logger.warn("Redis runs with maxmemory-policy " + facts.maxmemoryPolicy() + ", so it may evict Resque's "
					+ "queues, jobs and worker records when memory runs out; use maxmemory-policy noeviction "
					+ "for the Redis that holds Resque (a cache belongs on a Redis of its own)");
		}
	}

	// ---- beat and re-registration

	void beat() {
		Instant now = Instant.now();
		PoolSettings settings = this.settings;
		boolean workersDue = Duration.between(this.lastWorkerBeat, now).compareTo(settings.heartbeatInterval()) >= 0;
		List<String> alive = this.groups.aliveWorkerIds();
		PoolStore.Beat beat = this.pools.beat(this.identity.poolId(), info(alive.size()),
				workersDue ? alive : List.of());
		// When the beat got through counts, not when it was sent: during an outage the
		// client holds
		// commands back until Redis answers again.
		long nanos = System.nanoTime();
		if (this.lastBeatNanos != 0 && nanos - this.lastBeatNanos > settings.beatInterval().multipliedBy(2).toNanos()) {
			holdAfterOutage("it could not beat for " + Duration.ofNanos(nanos - this.lastBeatNanos).toSeconds() + " s");
		}
		boolean first = this.lastBeatNanos == 0;
		this.lastBeatNanos = nanos;
		if (workersDue) {
			this.lastWorkerBeat = now;
		}
		if (!beat.poolKnown() && !first && !workersDue) {
			logger.warn("Redis no longer knew resque-pool " + this.identity.poolId()
					+ " (restarted without its data, or recovered by another pool); registering its workers again");
			this.lastWorkerBeat = Instant.MIN;
			beat();
			return;
		}
		List<String> missing = new ArrayList<>(beat.unregistered());
		missing.retainAll(this.groups.aliveWorkerIds());
		if (!missing.isEmpty()) {
			logger.warn("Workers " + missing + " were no longer registered (removed by a pruner, such as a Ruby "
					+ "worker on this host with queue list '*', or lost by a restarted Redis); registering them again");
			this.workers.register(this.identity.poolId(), this.started, missing);
		}
		// Progress reports held back by their write interval reach Redis at the latest
		// now.
		this.groups.all().forEach((group) -> group.workers().forEach(Worker::writeProgress));
		if (!this.registered) {
			this.registered = true;
			this.onRegistered.run();
		}
		else if (!missing.isEmpty() || !beat.poolKnown()) {
			// Workers that waited for Redis to know them again may go on.
			this.groups.all().forEach(WorkerGroup::wakeAll);
		}
	}

	private String info(int workerCount) {
		return this.info.apply(this.started, workerCount);
	}

	private void holdAfterOutage(String why) {
		PoolSettings settings = this.settings;
		long now = System.nanoTime();
		// Redis clients reconnect with a backoff that doubles (Lettuce's up to 30 s), so
		// after an outage of some length another pool may come back up to that much later
		// than this one: it gets the recovery timeout on top of it.
		long outage = (this.lastBeatNanos != 0) ? Math.max(0, now - this.lastBeatNanos) : 0;
		Duration hold = settings.recoveryTimeout()
			.plus(Duration.ofNanos(Math.min(outage, MAX_RECONNECT_LAG.toNanos())));
		this.recoveryHeldUntil = now + hold.toNanos();
		this.pruneHeldUntil = now + settings.pruneInterval().toNanos();
		logger.info("resque-pool " + this.identity.poolId() + ": " + why + "; it recovers no other pool for "
				+ hold.toSeconds() + " s and prunes no worker for " + settings.pruneInterval().toSeconds()
				+ " s, so that everyone alive can beat again first");
	}

	private static boolean held(long until) {
		return until != 0 && System.nanoTime() - until < 0;
	}

	// ---- recovery of dead pools

	private void recoverPredecessors() {
		for (String poolId : this.pools.ids()) {
			if (this.identity.isPredecessor(poolId)) {
				recover(poolId, Duration.ZERO, "it ran in this same process before (a restart)");
			}
		}
	}

	void recoverDeadPools() {
		if (held(this.recoveryHeldUntil)) {
			return;
		}
		Duration timeout = this.settings.recoveryTimeout();
		for (String poolId : this.pools.silent(timeout)) {
			if (!poolId.equals(this.identity.poolId())) {
				recover(poolId, timeout, "it has not beaten for " + timeout.toSeconds() + " s");
			}
		}
	}

	private void recover(String poolId, Duration timeout, String why) {
		boolean requeue = this.settings.requeueOnRecovery();
		Recovery recovery = this.pools.recover(poolId, timeout, RubyTime.failedAtNow(), requeue);
		if (recovery == null) {
			return;
		}
		logger.warn("Recovered dead pool " + poolId + " (" + why + "): unregistered " + recovery.workers()
				+ " workers, " + (requeue ? "requeued at the head of their queues " : "recorded as Resque::DirtyExit ")
				+ recovery.jobs().size() + " in-flight jobs"
				+ (recovery.jobs().isEmpty() ? "" : ": " + recovery.jobs()));
	}

	// ---- Ruby's pruning rule

	/**
	 * Unregisters workers whose heartbeat is older than {@code prune-interval}, under
	 * Ruby's lock and rule, so a Java-only deployment cleans up dead workers too; never a
	 * worker of a pool that still beats. Values it cannot read are skipped and reported
	 * once.
	 */
	void prune() {
		if (held(this.pruneHeldUntil)) {
			return;
		}
		this.workers
			.pruneDead(this.identity.poolId(), PRUNE_EVERY, this.settings.pruneInterval(),
					this.settings.recoveryTimeout(), PRUNE_EXCEPTION, this::reportUnreadableHeartbeat)
			.filter((pruned) -> !pruned.workers().isEmpty())
			.ifPresent((pruned) -> logger.info("Pruned " + pruned.workers().size()
					+ " dead workers (heartbeat older than " + this.settings.pruneInterval().toSeconds() + " s): "
					+ pruned.workers() + (pruned.withJobs().isEmpty() ? ""
							: "; recorded " + PRUNE_EXCEPTION + " for " + pruned.withJobs())));
	}

	private void reportUnreadableHeartbeat(String id, String value) {
		if (this.reportedHeartbeats.size() < MAX_REPORTED && this.reportedHeartbeats.add(id)) {
			logger.warn("Cannot read the heartbeat '" + value + "' of worker " + id + "; the pruner skips it");
		}
	}

}
