package io.github.resquepool.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

import io.github.resquepool.job.ActiveJobPayload;
import io.github.resquepool.resque.CancelStore;
import io.github.resquepool.resque.FleetStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.LimitStore;
import io.github.resquepool.resque.QueueLimit;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.WorkerStatus;

/**
 * Every pool on this Redis, seen and steered from any process, with or without a pool of
 * its own. Pauses, resumes and counts are stored in Redis as overrides (not only sent as
 * messages), so a pool that is restarting, partitioned or deploying applies them when it
 * comes back, and a new pool applies them before its first job. Of the overrides that
 * cover a group, the most recent wins. Each write waits for the pools in its scope to
 * acknowledge it, up to a timeout, and says how far each got; at most
 * {@code max-waiting-writes} wait at once, so that waiting writes cannot take every
 * thread of a web server: one beyond them is stored and answers at once, its pending
 * acknowledgements saying that they were not waited for. Queue pauses use the
 * resque-pause gem's keys, so Ruby tools and Java workers see each other's.
 * <p>
 * Thread-safe. Every method does Redis I/O; the writes wait up to their timeout.
 */
public class ResqueFleet {

	private static final Log logger = LogFactory.getLog(ResqueFleet.class);

	private static final Duration POLL = Duration.ofMillis(50);

	/** The default of {@code resque.pool.fleet.max-waiting-writes}. */
	public static final int DEFAULT_MAX_WAITING_WRITES = 16;

	/** The most limits the fleet view reads from Redis. */
	static final int MAX_LIMITS_SHOWN = 200;

	/** The most holders the fleet view names per limit. */
	static final int MAX_HOLDERS_SHOWN = 20;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private volatile Supplier<Map<String, QueueLimit>> configuredQueueLimits = Map::of;

	private volatile Supplier<List<LimitStore.Slot>> classLimitsHere = List::of;

	private final ResqueRedis redis;

	private final FleetStore store;

	private final Duration ackTimeout;

	private final Duration recoveryTimeout;

	private final Supplier<Set<String>> configuredGroups;

	private final String host;

	private final Clock clock;

	private final int maxWorkers;

	private final int maxWaitingWrites;

	private final Semaphore waiting;

	/**
	 * Creates the fleet control.
	 * @param redis the Redis of Resque
	 * @param ackTimeout how long a write waits for acknowledgements by default
	 * @param recoveryTimeout the time without a beat after which a pool is dead (it
	 * leaves the list)
	 * @param configuredGroups the groups this process's configuration knows, valid even
	 * when no live pool runs them
	 * @param host who writes when no principal is given
	 */
	public ResqueFleet(ResqueRedis redis, Duration ackTimeout, Duration recoveryTimeout,
			Supplier<Set<String>> configuredGroups, String host) {
		this(redis, ackTimeout, recoveryTimeout, configuredGroups, host, Integer.MAX_VALUE, DEFAULT_MAX_WAITING_WRITES);
	}

	/**
	 * Creates the fleet control.
	 * @param redis the Redis of Resque
	 * @param ackTimeout how long a write waits for acknowledgements by default
	 * @param recoveryTimeout the time without a beat after which a pool is dead (it
	 * leaves the list)
	 * @param configuredGroups the groups this process's configuration knows, valid even
	 * when no live pool runs them
	 * @param host who writes when no principal is given
	 * @param maxWorkers the largest count a scale may set when no live pool in its scope
	 * tells its own {@code max-workers}
	 * @param maxWaitingWrites how many writes may wait for acknowledgements at once; a
	 * write beyond them is stored and answers at once, without waiting
	 */
	public ResqueFleet(ResqueRedis redis, Duration ackTimeout, Duration recoveryTimeout,
			Supplier<Set<String>> configuredGroups, String host, int maxWorkers, int maxWaitingWrites) {
		this.redis = redis;
		this.maxWorkers = maxWorkers;
		this.maxWaitingWrites = maxWaitingWrites;
		this.waiting = new Semaphore(maxWaitingWrites);
		this.store = redis.fleet();
		this.ackTimeout = ackTimeout;
		this.recoveryTimeout = recoveryTimeout;
		this.configuredGroups = configuredGroups;
		this.host = host;
		this.clock = Clock.systemUTC();
	}

	/**
	 * @return the default acknowledgement timeout of writes
	 */
	public Duration ackTimeout() {
		return this.ackTimeout;
	}

	/**
	 * @return the fleet as Redis shows it now
	 */
	public FleetView view() {
		FleetStore.Stored stored = this.store.read();
		FleetOverrides overrides = FleetOverrides.parse(stored.version(), stored.overrides());
		List<LivePool> pools = pools();
		List<FleetView.Pool> views = new ArrayList<>();
		for (LivePool pool : pools) {
			List<FleetView.Group> groups = new ArrayList<>();
			for (PoolInfo.Group group : pool.groups()) {
				boolean overridden = overrides.latest(pool.id(), group.name(), true).isPresent()
						|| overrides.latest(pool.id(), group.name(), false).isPresent();
				groups.add(new FleetView.Group(group.name(), group.queues(), group.count(), group.live(), group.busy(),
						group.state(), overridden));
			}
			views.add(new FleetView.Pool(pool.id(), pool.host(), pool.pid(), pool.started(),
					Instant.ofEpochMilli(pool.beatMillis()), pool.online(), pool.state(), groups, pool.appliedSeq(),
					pool.jobs()));
		}
		List<FleetOverride> sorted = new ArrayList<>(overrides.overrides());
		sorted.sort(Comparator.comparingLong(FleetOverride::seq));
		return new FleetView(views, sorted, List.copyOf(this.store.pausedQueues(this.redis.queues().names())),
				this.store.allQueuesPaused(), limits());
	}

	/**
	 * Pauses the groups in a scope: running jobs finish, then no job is taken.
	 * @param scope the pools and groups
	 * @param timeout how long to wait for acknowledgements, {@code null} for the default
	 * @param by who asks, {@code null} for this host
	 * @return how far each pool got
	 * @throws IllegalArgumentException for an unknown pool or group; nothing is stored
	 * then
	 */
	public FleetResult pause(FleetScope scope, Duration timeout, String by) {
		return command(FleetOverride.Kind.PAUSE, scope, null, timeout, by);
	}

	/**
	 * Resumes the groups in a scope.
	 * @param scope the pools and groups
	 * @param timeout how long to wait for acknowledgements, {@code null} for the default
	 * @param by who asks, {@code null} for this host
	 * @return how far each pool got
	 * @throws IllegalArgumentException for an unknown pool or group; nothing is stored
	 * then
	 */
	public FleetResult resume(FleetScope scope, Duration timeout, String by) {
		return command(FleetOverride.Kind.RESUME, scope, null, timeout, by);
	}

	/**
	 * Sets the number of workers of a group, in every pool or in one.
	 * @param scope a group, and optionally a pool
	 * @param count the number of workers, 0 or more
	 * @param timeout how long to wait for acknowledgements, {@code null} for the default
	 * @param by who asks, {@code null} for this host
	 * @return how far each pool got; a pool whose {@code max-workers} the count exceeds
	 * fails
	 * @throws IllegalArgumentException without a group or count, with a negative count,
	 * or for an unknown pool or group; nothing is stored then
	 */
	public FleetResult scale(FleetScope scope, Integer count, Duration timeout, String by) {
		if (scope.group() == null) {
			throw new IllegalArgumentException("scale needs a group, for example {\"group\":\"default\",\"count\":3}");
		}
		if (count == null) {
			throw new IllegalArgumentException("scale needs a count, for example {\"group\":\"default\",\"count\":3}");
		}
		if (count < 0) {
			throw new IllegalArgumentException("count must be 0 or more, was " + count);
		}
		List<LivePool> pools = pools();
		validate(scope, pools);
		int limit = maxWorkers(scope, pools);
		if (count > limit) {
			throw new IllegalArgumentException("count " + count + " is above the largest max-workers " + limit
					+ " of the pools in scope (resque.pool.max-workers)");
		}
		return command(FleetOverride.Kind.SCALE, scope, count, timeout, by, pools);
	}

	/**
	 * The largest {@code max-workers} of the live pools in a scope; this process's own
	 * when none of them says (no live pool yet, or pools of an older version), since a
	 * command may be stored for pools that start later.
	 */
	private int maxWorkers(FleetScope scope, List<LivePool> pools) {
		return pools.stream()
			.filter((p) -> scope.pool() == null || p.id().equals(scope.pool()))
			.mapToInt(LivePool::maxWorkers)
			.filter((max) -> max > 0)
			.max()
			.orElse(this.maxWorkers);
	}

	/**
	 * Drops the overrides within a scope, so that the pools return to their configuration
	 * there.
	 * @param scope the pools and groups whose overrides are dropped
	 * @param timeout how long to wait for acknowledgements, {@code null} for the default
	 * @param by who asks, {@code null} for this host
	 * @return how far each pool got
	 */
	public FleetResult reset(FleetScope scope, Duration timeout, String by) {
		List<LivePool> pools = pools();
		validate(scope, pools);
		FleetStore.Stored stored = this.store.read();
		FleetOverrides overrides = FleetOverrides.parse(stored.version(), stored.overrides());
		List<String> fields = new ArrayList<>();
		for (FleetOverride override : overrides.overrides()) {
			if (scope.contains(override.scope())) {
				fields.add(override.field());
			}
		}
		long version = this.store.reset(fields);
		logger.info("Fleet reset of " + scope + " by " + who(by) + ": dropped " + fields.size() + " overrides");
		return new FleetResult("reset", scope.toString(), version, version,
				awaitAcks(scope, null, null, 0, version, timeout));
	}

	/**
	 * Pauses a queue for every worker with resque-pause's key: Java's, and Ruby's that
	 * run the resque-pause gem (plain Resque reads only {@code pause-all-workers}).
	 * @param queue the queue
	 * @param by who asks, {@code null} for this host
	 * @return the command, with no per-pool acknowledgement (workers check the key on
	 * every fetch)
	 */
	public FleetResult pauseQueue(String queue, String by) {
		requireQueue(queue);
		this.store.pauseQueue(queue, "true");
		logger.info("Fleet: queue '" + queue + "' paused by " + who(by));
		return new FleetResult("pause", "queue '" + queue + "'", 0, 0, List.of());
	}

	/**
	 * Resumes a queue paused with resque-pause's key.
	 * @param queue the queue
	 * @param by who asks, {@code null} for this host
	 * @return the command, with no per-pool acknowledgement
	 */
	public FleetResult resumeQueue(String queue, String by) {
		requireQueue(queue);
		this.store.resumeQueue(queue);
		logger.info("Fleet: queue '" + queue + "' resumed by " + who(by));
		return new FleetResult("resume", "queue '" + queue + "'", 0, 0, List.of());
	}

	/**
	 * Names the limits this process knows from its own configuration and handlers, so
	 * that the fleet view lists them while no job uses them.
	 * @param queueLimits the configured queue limits
	 * @param classLimits the class limits without a key of this process's handlers
	 */
	public void limitsKnownHere(Supplier<Map<String, QueueLimit>> queueLimits,
			Supplier<List<LimitStore.Slot>> classLimits) {
		this.configuredQueueLimits = queueLimits;
		this.classLimitsHere = classLimits;
	}

	/**
	 * Sets a queue's limit across the fleet, over what the pools are configured with:
	 * from the answer on, every pool takes the queue's jobs only while the limit has room
	 * (jobs already running when a queue is first limited hold no slot).
	 * @param queue the queue
	 * @param limit the limit
	 * @param by who asks, {@code null} for this host
	 * @return the command, with no per-pool acknowledgement: pools read the limit from
	 * Redis at their next turn
	 * @throws IllegalArgumentException for a bad queue name; nothing is stored then
	 */
	public FleetResult limitQueue(String queue, QueueLimit limit, String by) {
		requireQueue(queue);
		Assert.notNull(limit, "'limit' must not be null");
		String setBy = JSON.writeValueAsString(Map.of("by", who(by), "at", this.clock.instant().toString()));
		this.redis.limits().overrideQueue(queue, limit, setBy);
		logger.info("Fleet: queue '" + queue + "' limited to " + limit + " by " + who(by));
		return new FleetResult("limit", "queue '" + queue + "'", 0, 0, List.of());
	}

	/**
	 * Clears the run-time limit of a queue: the pools' configured limit, if any, applies
	 * again.
	 * @param queue the queue
	 * @param by who asks, {@code null} for this host
	 * @return the command, with no per-pool acknowledgement
	 * @throws IllegalArgumentException for a bad queue name
	 */
	public FleetResult resetQueueLimit(String queue, String by) {
		requireQueue(queue);
		this.redis.limits().clearQueue(queue);
		logger.info("Fleet: the limit of queue '" + queue + "' reset to the configuration by " + who(by));
		return new FleetResult("reset", "queue '" + queue + "'", 0, 0, List.of());
	}

	/**
	 * The limits in force across the fleet: queue limits overridden at run time, queue
	 * limits this process is configured with, and every class, key or queue limit whose
	 * slots are in use or that holds jobs back.
	 * @return the limits, queues first, then classes, by name and key
	 */
	public List<FleetView.Limit> limits() {
		Map<String, LimitStore.QueueOverride> overrides = this.redis.limits().queueOverrides();
		Map<String, QueueLimit> configured = new HashMap<>(this.configuredQueueLimits.get());
		configured.putAll(this.redis.jobs().configuredQueueLimits());
		LimitStore.InUse inUse = this.redis.limits().inUse(MAX_LIMITS_SHOWN, MAX_HOLDERS_SHOWN);
		Map<String, LimitStore.LimitState> states = new HashMap<>();
		inUse.limits().forEach((state) -> states.put(state.id(), state));
		List<FleetView.Limit> limits = new ArrayList<>();
		Set<String> queues = new TreeSet<>(overrides.keySet());
		queues.addAll(configured.keySet());
		inUse.limits()
			.stream()
			.filter((state) -> "queue".equals(state.kind()))
			.forEach((state) -> queues.add(state.name()));
		for (String queue : queues) {
			LimitStore.QueueOverride override = overrides.get(queue);
			QueueLimit limit = (override != null) ? override.limit() : configured.get(queue);
			LimitStore.LimitState state = states.get("queue:" + queue);
			if (limit == null && state != null) {
				limit = new QueueLimit((int) state.concurrency(), (int) state.rate(), state.per());
			}
			if (limit == null) {
				continue;
			}
			long held = (state != null) ? state.held() : 0;
			boolean full = limit.concurrency() >= 0 && held >= limit.concurrency();
			limits.add(new FleetView.Limit(queue, null, null, positive(limit.concurrency()), positive(limit.rate()),
					(limit.rate() >= 0) ? limit.per() : null, held, full ? this.redis.queues().size(queue) : 0,
					(override != null) ? "override" : "configuration", (state != null) ? state.holders() : List.of(),
					(override != null) ? override.setBy() : null));
		}
		for (LimitStore.Slot known : this.classLimitsHere.get()) {
			if (!states.containsKey(known.id())) {
				limits.add(new FleetView.Limit(null, known.name(), null, positive(known.concurrency()),
						positive(known.rate()), (known.rate() >= 0) ? known.per() : null, 0, 0, "annotation", List.of(),
						null));
			}
		}
		inUse.limits()
			.stream()
			.filter((state) -> "class".equals(state.kind()))
			.sorted(Comparator.comparing(LimitStore.LimitState::name)
				.thenComparing((state) -> (state.key() != null) ? state.key() : ""))
			.forEach((state) -> limits
				.add(new FleetView.Limit(null, state.name(), state.key(), positive((int) state.concurrency()),
						positive((int) state.rate()), (state.rate() >= 0) ? state.per() : null, state.held(),
						state.waiting(), "annotation", state.holders(), null)));
		return limits;
	}

	private static Integer positive(int value) {
		return (value >= 0) ? value : null;
	}

	/**
	 * Cancels the job a worker runs now, in whichever pool of the fleet it is:
	 * {@code JobContext.isCancelled()} turns true there, the job's thread is interrupted,
	 * and its next checkpoint throws. The job ends as a {@code ResquePool::JobCancelled}
	 * failure entry, never retried automatically; one that ignores the cancel past the
	 * pool's {@code cancel-grace} is handled as a stuck job. Only that job is cancelled:
	 * when it ends before the pool gets the request, the worker's next job is left alone.
	 * @param workerId the worker, or {@code null} to name the job by {@code jobId}
	 * @param jobId an ActiveJob {@code job_id}, or {@code null} to name the worker
	 * @param timeout how long to wait until the job ended, {@code null} for the default
	 * @param by who asks, {@code null} for this host
	 * @return one entry: {@code applied} once the cancelled job ended, {@code pending},
	 * {@code failed} with the reason (no such worker or job, the worker is idle, the job
	 * ended first), or {@code offline}
	 * @throws IllegalArgumentException without exactly one of a worker and a job id, or
	 * with a malformed one; nothing is stored then
	 */
	public FleetResult cancel(String workerId, String jobId, Duration timeout, String by) {
		if ((workerId == null) == (jobId == null)) {
			throw new IllegalArgumentException(
					"cancel needs either a worker or a jobId, for example {\"worker\":\"host:12-1:mail\"}");
		}
		requireId((workerId != null) ? "worker" : "jobId", (workerId != null) ? workerId : jobId);
		String target = (workerId != null) ? workerId : workerRunning(jobId);
		String scope = (workerId != null) ? "worker " + workerId : "job " + jobId;
		if (target == null) {
			return new FleetResult("cancel", scope, 0, 0,
					List.of(FleetResult.PoolAck.failed(null, "no worker runs a job with job_id " + jobId)));
		}
		CancelRequest request = new CancelRequest(0, null, null, who(by), this.clock.instant(),
				CancelRequest.REQUESTED);
		CancelStore.Requested stored = this.redis.cancels().request(target, request.toJsonWithoutIds());
		FleetResult.PoolAck refused = switch (stored.kind()) {
			case "unknown" -> FleetResult.PoolAck.failed(null, "no such worker '" + target + "'");
			case "foreign" -> FleetResult.PoolAck.failed(null, "worker '" + target
					+ "' belongs to no resque-pool (a Ruby worker?); only resque-pool's workers can be cancelled");
			case "idle" -> FleetResult.PoolAck.failed(stored.pool(), "worker '" + target + "' is idle: it runs no job");
			default -> null;
		};
		if (refused != null) {
			return new FleetResult("cancel", scope, 0, 0, List.of(refused));
		}
		logger.info("Fleet cancel of the job of worker " + target + " in pool " + stored.pool() + " by " + who(by)
				+ " (command " + stored.seq() + ")");
		return new FleetResult("cancel", scope, stored.seq(), stored.version(),
				List.of(awaitCancel(target, stored, timeout)));
	}

	private static void requireId(String name, String value) {
		if (value.isBlank() || value.length() > 1024 || value.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException(name + " must be a worker id or job id of at most 1024 characters, "
					+ "without control characters");
		}
	}

	/**
	 * @return the worker running the ActiveJob job with that {@code job_id}, or
	 * {@code null}
	 */
	private String workerRunning(String jobId) {
		List<String> ids = new ArrayList<>(this.redis.workers().ids());
		for (int from = 0; from < ids.size(); from += 500) {
			List<String> slice = ids.subList(from, Math.min(ids.size(), from + 500));
			List<String> statuses = this.redis.workers().statuses(slice);
			for (int i = 0; i < slice.size(); i++) {
				String status = statuses.get(i);
				if (status != null && status.contains(jobId) && runs(status, jobId)) {
					return slice.get(i);
				}
			}
		}
		return null;
	}

	private static boolean runs(String status, String jobId) {
		return WorkerStatus.parse(status)
			.flatMap((parsed) -> JobPayload.tryParse(parsed.payload()))
			.map((payload) -> ActiveJobPayload.read(payload.className(), payload.args()))
			.map((activeJob) -> jobId.equals(activeJob.jobId()))
			.orElse(false);
	}

	private FleetResult.PoolAck awaitCancel(String workerId, CancelStore.Requested stored, Duration timeout) {
		FleetResult.PoolAck ack = awaitSettled(() -> List.of(cancelAck(workerId, stored)), stored.seq(), timeout)
			.get(0);
		return ack.status().equals("pending") ? offlineOr(ack) : ack;
	}

	private FleetResult.PoolAck cancelAck(String workerId, CancelStore.Requested stored) {
		CancelStore.State state = this.redis.cancels().state(workerId);
		CancelRequest request = (state.request() != null) ? CancelRequest.parse(state.request()) : null;
		boolean running = stored.sha().equals(state.runningSha());
		if (request == null || request.seq() != stored.seq()) {
			return running ? FleetResult.PoolAck.pending(stored.pool(), "a newer cancel replaced this one")
					: FleetResult.PoolAck.applied(stored.pool());
		}
		if (request.state().equals(CancelRequest.MISSED)) {
			return FleetResult.PoolAck.failed(stored.pool(), "the job ended before the cancel reached its pool");
		}
		if (request.state().equals(CancelRequest.CANCELLING)) {
			return running ? FleetResult.PoolAck.pending(stored.pool(), "the job was cancelled and is stopping")
					: FleetResult.PoolAck.applied(stored.pool());
		}
		return running ? FleetResult.PoolAck.pending(stored.pool(), "the pool has not applied the cancel yet")
				: FleetResult.PoolAck.failed(stored.pool(), "the job ended before the cancel reached its pool");
	}

	private FleetResult.PoolAck offlineOr(FleetResult.PoolAck ack) {
		boolean online = pools().stream().anyMatch((pool) -> pool.id().equals(ack.id()) && pool.online());
		return online ? ack : FleetResult.PoolAck.offline(ack.id());
	}

	private static void requireQueue(String queue) {
		if (queue == null || queue.isBlank() || queue.contains(":")
				|| queue.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("'" + queue + "' is not a queue name");
		}
	}

	private FleetResult command(FleetOverride.Kind kind, FleetScope scope, Integer count, Duration timeout, String by) {
		List<LivePool> pools = pools();
		validate(scope, pools);
		return command(kind, scope, count, timeout, by, pools);
	}

	private FleetResult command(FleetOverride.Kind kind, FleetScope scope, Integer count, Duration timeout, String by,
			List<LivePool> pools) {
		FleetOverride override = new FleetOverride(0, kind, scope, count, who(by), this.clock.instant());
		long[] stored = this.store.write(override.field(), FleetOverrideJson.write(override));
		String action = kind.name().toLowerCase(java.util.Locale.ROOT);
		logger.info("Fleet " + action + " of " + scope + ((count != null) ? " to " + count : "") + " by " + who(by)
				+ " (command " + stored[0] + ")");
		return new FleetResult(action, scope.toString(), stored[0], stored[1],
				awaitAcks(scope, kind, count, stored[0], stored[1], timeout));
	}

	private void validate(FleetScope scope, List<LivePool> pools) {
		if (scope.pool() != null && pools.stream().noneMatch((p) -> p.id().equals(scope.pool()))) {
			throw new IllegalArgumentException("no live pool '" + scope.pool() + "'; pools: "
					+ String.join(", ", pools.stream().map(LivePool::id).toList()));
		}
		if (scope.group() != null) {
			boolean known = this.configuredGroups.get().contains(scope.group()) || pools.stream()
				.filter((p) -> scope.pool() == null || p.id().equals(scope.pool()))
				.anyMatch((p) -> p.groups().stream().anyMatch((g) -> g.name().equals(scope.group())));
			if (!known) {
				throw new IllegalArgumentException("no group '" + scope.group() + "' in "
						+ ((scope.pool() != null) ? "pool " + scope.pool() : "any live pool or in the configuration"));
			}
		}
	}

	private List<FleetResult.PoolAck> awaitAcks(FleetScope scope, FleetOverride.Kind kind, Integer count, long seq,
			long version, Duration timeout) {
		return awaitSettled(() -> acks(scope, kind, count, seq, version), seq, timeout);
	}

	/**
	 * Reads the acknowledgements of a write until none is pending or the timeout is over;
	 * with as many writes waiting as may wait at once, reads them once and says so.
	 */
	private List<FleetResult.PoolAck> awaitSettled(Supplier<List<FleetResult.PoolAck>> read, long seq,
			Duration timeout) {
		Duration wait = (timeout != null) ? timeout : this.ackTimeout;
		if (wait.isZero()) {
			return read.get();
		}
		if (!this.waiting.tryAcquire()) {
			String note = "not waited for: as many fleet writes as may wait at once "
					+ "(resque.pool.fleet.max-waiting-writes=" + this.maxWaitingWrites
					+ ") are waiting for acknowledgements; the command is stored and applies as usual";
			logger.warn("Fleet command " + seq + " answers without waiting: " + note);
			return read.get()
				.stream()
				.map((ack) -> ack.status().equals("pending")
						? FleetResult.PoolAck.pending(ack.id(), ack.message() + "; " + note) : ack)
				.toList();
		}
		try {
			long deadline = System.nanoTime() + wait.toNanos();
			while (true) {
				List<FleetResult.PoolAck> acks = read.get();
				boolean settled = acks.stream().noneMatch((a) -> a.status().equals("pending"));
				if (settled || System.nanoTime() - deadline >= 0) {
					return acks;
				}
				try {
					Thread.sleep(POLL.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return acks;
				}
			}
		}
		finally {
			this.waiting.release();
		}
	}

	/**
	 * @return how many writes wait for acknowledgements now
	 */
	public int waitingWrites() {
		return this.maxWaitingWrites - this.waiting.availablePermits();
	}

	/**
	 * How far each pool in a scope got with a command stored earlier, read once, by the
	 * rules of the acknowledgements the write that stored it waited for: the answers are
	 * those that write would give if it were still waiting. So a status page can follow a
	 * command the write stopped waiting for (a timeout of zero, say) until it settles.
	 * <p>
	 * A pool has applied the command once it applied the fleet's {@code version} that the
	 * write made. The sequence number alone does not tell: a pool reports the highest
	 * sequence number among the overrides it applied, and a reset that drops overrides
	 * lowers it, so a pool that applied a command and then a reset would look as if it
	 * never applied it; the version grows with every write and every reset. The sequence
	 * number names the command in the failures a pool reports.
	 * @param scope the command's scope
	 * @param action the command's {@link FleetResult#action() action}: {@code pause},
	 * {@code resume}, {@code scale} or {@code reset}
	 * @param count the count of a {@code scale}, else ignored
	 * @param seq the command's {@link FleetResult#seq() sequence number}
	 * @param version the fleet's {@link FleetResult#version() version} the write made
	 * @return one entry per live pool in scope: {@code offline}; {@code pending} until
	 * the pool applied that version and its groups got there; {@code failed} with the
	 * pool's reason when it refused the command (a count above its {@code max-workers});
	 * else {@code applied}
	 * @throws IllegalArgumentException for another action, or a {@code scale} without a
	 * count
	 */
	public List<FleetResult.PoolAck> acknowledgements(FleetScope scope, String action, Integer count, long seq,
			long version) {
		FleetOverride.Kind kind = switch (String.valueOf(action)) {
			case "pause" -> FleetOverride.Kind.PAUSE;
			case "resume" -> FleetOverride.Kind.RESUME;
			case "scale" -> FleetOverride.Kind.SCALE;
			case "reset" -> null;
			default -> throw new IllegalArgumentException(
					"'" + action + "' is not a fleet command with acknowledgements: pause, resume, scale or reset");
		};
		if (kind == FleetOverride.Kind.SCALE && count == null) {
			throw new IllegalArgumentException("the acknowledgements of a scale need its count");
		}
		return acks(scope, kind, (kind == FleetOverride.Kind.SCALE) ? count : null, (kind != null) ? seq : 0, version);
	}

	private List<FleetResult.PoolAck> acks(FleetScope scope, FleetOverride.Kind kind, Integer count, long seq,
			long version) {
		List<FleetResult.PoolAck> acks = new ArrayList<>();
		for (LivePool pool : pools()) {
			if (scope.pool() == null || scope.pool().equals(pool.id())) {
				acks.add(pool.ack(scope, kind, count, seq, version));
			}
		}
		return acks;
	}

	private String who(String by) {
		return (by != null && !by.isBlank()) ? by : this.host;
	}

	private List<LivePool> pools() {
		FleetStore.Pools read = this.store.pools();
		long onlineWithin = 3 * PoolInfo.beatInterval(this.recoveryTimeout).toMillis();
		List<LivePool> pools = new ArrayList<>();
		for (FleetStore.PoolRecord record : read.records()) {
			long age = read.nowMillis() - record.beatMillis();
			if (age > this.recoveryTimeout.toMillis()) {
				continue;
			}
			pools.add(LivePool.parse(record, age <= onlineWithin));
		}
		return pools;
	}

}
