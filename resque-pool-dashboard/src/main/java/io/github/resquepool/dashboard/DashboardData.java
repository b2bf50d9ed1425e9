package io.github.resquepool.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.resque.CheckpointStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.WorkerStatus;
import io.github.resquepool.resque.WorkerStore;

/**
 * What the dashboard reads from Resque's Redis (counts, queues, workers and the
 * checkpoints of their jobs, delayed jobs), clearing a queue and pruning dead workers,
 * all through the stores of {@link ResqueRedis}; the failures are {@link FailedEntries}'.
 */
public class DashboardData {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Who takes Ruby's pruning lock when the dashboard prunes. */
	static final String PRUNE_LOCK_OWNER = "resque-web";

	private final ResqueRedis redis;

	/**
	 * Creates the reader.
	 * @param redis the stores of Resque's Redis
	 */
	public DashboardData(ResqueRedis redis) {
		this.redis = redis;
	}

	/**
	 * @return the stores of Resque's Redis
	 */
	public ResqueRedis redis() {
		return this.redis;
	}

	// ---- overview and stats

	/**
	 * The counts of the overview, read in a few round trips.
	 * @return the counts
	 */
	public Totals totals() {
		long processed = this.redis.jobs().processedStat();
		long failedStat = this.redis.failures().failedStat();
		Set<String> queues = new TreeSet<>(this.redis.queues().names());
		long queued = 0;
		for (String queue : queues) {
			queued += this.redis.queues().size(queue);
		}
		List<String> workers = List.copyOf(this.redis.workers().ids());
		long working = this.redis.workers()
			.statuses(workers)
			.stream()
			.filter((status) -> status != null && !status.isEmpty())
			.count();
		return new Totals(processed, failedStat, this.redis.failures().count(), queues.size(), queued, working,
				workers.size(), this.redis.pools().ids().size(), this.redis.server().timeMillis());
	}

	/**
	 * The overview's numbers.
	 *
	 * @param processed Resque's {@code stat:processed}
	 * @param failedStat Resque's {@code stat:failed}
	 * @param failures the length of the {@code failed} list
	 * @param queues how many queues there are
	 * @param queued how many jobs wait in all queues
	 * @param working how many workers run a job
	 * @param workers how many workers are registered
	 * @param pools how many pools beat
	 * @param serverMillis the Redis server's clock
	 */
	public record Totals(long processed, long failedStat, long failures, long queues, long queued, long working,
			long workers, long pools, long serverMillis) {
	}

	/**
	 * A subset of Redis {@code INFO}.
	 * @return field to value, in a fixed order
	 */
	public Map<String, String> redisInfo() {
		Map<String, String> all = this.redis.server().info();
		Map<String, String> chosen = new LinkedHashMap<>();
		for (String field : List.of("redis_version", "redis_mode", "role", "uptime_in_days", "connected_clients",
				"blocked_clients", "used_memory_human", "used_memory_peak_human", "maxmemory_human", "maxmemory_policy",
				"total_commands_processed", "instantaneous_ops_per_sec", "keyspace_hits", "keyspace_misses",
				"evicted_keys", "rejected_connections", "db0")) {
			if (all.containsKey(field)) {
				chosen.put(field, all.get(field));
			}
		}
		return chosen;
	}

	// ---- queues

	/**
	 * Every queue with its size, latency and paused state.
	 * @param pausedQueues the queues paused with resque-pause's keys
	 * @param allPaused whether every queue is paused
	 * @return the queues by name
	 */
	public List<QueueRow> queues(Set<String> pausedQueues, boolean allPaused) {
		List<QueueRow> rows = new ArrayList<>();
		long now = this.redis.server().timeMillis();
		for (String name : new TreeSet<>(this.redis.queues().names())) {
			long size = this.redis.queues().size(name);
			Long latency = null;
			if (size > 0) {
				List<String> head = this.redis.queues().peek(name, 0, 0);
				if (!head.isEmpty()) {
					Double enqueued = enqueuedAt(head.get(0));
					latency = (enqueued != null) ? Math.max(0, now - (long) (enqueued * 1000)) : null;
				}
			}
			rows.add(new QueueRow(name, size, latency, allPaused || pausedQueues.contains(name)));
		}
		return rows;
	}

	/**
	 * One queue.
	 *
	 * @param name its name
	 * @param size its length
	 * @param latencyMillis how long its oldest job has waited, when the payload says when
	 * it was enqueued
	 * @param paused whether resque-pause's key pauses it
	 */
	public record QueueRow(String name, long size, Long latencyMillis, boolean paused) {
	}

	/**
	 * Reads one page of a queue with {@code LRANGE}.
	 * @param queue the queue
	 * @param start the first index
	 * @param count how many
	 * @return the jobs
	 */
	public List<Job> queueJobs(String queue, long start, int count) {
		List<Job> jobs = new ArrayList<>();
		if (count <= 0 || start < 0 || this.redis.queues().size(queue) == 0) {
			// Nothing to read, or a key that holds no list.
			return jobs;
		}
		long index = start;
		for (String payload : this.redis.queues().peek(queue, start, start + count - 1)) {
			jobs.add(job(index++, payload));
		}
		return jobs;
	}

	/**
	 * One job of a queue, or a delayed item.
	 *
	 * @param index its index
	 * @param className the class it names, or {@code null}
	 * @param args its arguments as JSON, or the raw text when it is not a payload
	 * @param enqueuedAt when it was enqueued, if the payload says
	 * @param raw the payload text
	 */
	public record Job(long index, String className, String args, Double enqueuedAt, String raw) {
	}

	static Job job(long index, String payload) {
		Optional<JobPayload> parsed = JobPayload.tryParse(payload);
		return new Job(index, parsed.map(JobPayload::className).orElse(null),
				parsed.map((p) -> p.args().toString()).orElse(payload), enqueuedAt(payload), payload);
	}

	private static Double enqueuedAt(String payload) {
		try {
			JsonNode node = JSON.readTree(payload);
			JsonNode at = node.get("enqueued_at");
			return (at != null && at.isNumber()) ? at.asDouble() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Deletes a queue's list (UNLINK) and drops it from {@code queues}, as
	 * {@code Resque.remove_queue}; only a queue's: a list, or a name of {@code queues}.
	 * @param queue the queue
	 * @return how many jobs were dropped
	 * @throws java.util.NoSuchElementException when there is no such queue
	 * @throws IllegalArgumentException when the queue's key holds something else than a
	 * list
	 */
	public long clearQueue(String queue) {
		return this.redis.queues().clear(queue);
	}

	// ---- workers

	/**
	 * Every registered worker, Ruby's included, with its job, heartbeat and pool.
	 * @return the workers by id
	 */
	public List<WorkerRow> workers() {
		List<String> ids = new ArrayList<>(new TreeSet<>(this.redis.workers().ids()));
		Map<String, String> heartbeats = this.redis.workers().heartbeats();
		Map<String, String> poolOf = new LinkedHashMap<>();
		for (String pool : this.redis.pools().ids()) {
			this.redis.pools().workers(pool).forEach((worker) -> poolOf.put(worker, pool));
		}
		long now = this.redis.server().timeMillis();
		List<String> statuses = this.redis.workers().statuses(ids);
		List<WorkerRow> rows = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			String status = (i < statuses.size()) ? statuses.get(i) : null;
			Long heartbeatAge = Optional.ofNullable(heartbeats.get(id))
				.flatMap(RubyTime::parse)
				.map((t) -> Math.max(0, now - t.toEpochMilli()))
				.orElse(null);
			String queue = null;
			String className = null;
			Long runMillis = null;
			if (status != null && !status.isEmpty()) {
				Optional<WorkerStatus> parsed = WorkerStatus.parse(status);
				if (parsed.isPresent()) {
					queue = parsed.get().queue();
					className = JobPayload.tryParse(parsed.get().payload()).map(JobPayload::className).orElse(null);
					runMillis = RubyTime.parse(parsed.get().runAt())
						.map((t) -> Math.max(0, now - t.toEpochMilli()))
						.orElse(null);
				}
				else {
					className = status;
				}
			}
			rows.add(new WorkerRow(id, poolOf.get(id), heartbeatAge, status != null && !status.isEmpty(), queue,
					className, runMillis, status));
		}
		return rows;
	}

	/**
	 * One worker.
	 *
	 * @param id its id ({@code host:pid:queues})
	 * @param pool the pool that registered it, or {@code null} (a Ruby worker, say)
	 * @param heartbeatAgeMillis how old its heartbeat is, or {@code null} without one
	 * @param busy whether it runs a job
	 * @param queue the queue of its job
	 * @param className the class of its job
	 * @param runMillis how long its job has run
	 * @param status its raw {@code worker:<id>} value
	 */
	public record WorkerRow(String id, String pool, Long heartbeatAgeMillis, boolean busy, String queue,
			String className, Long runMillis, String status) {
	}

	/**
	 * Reads the checkpoint of each running job among the given workers: one read of the
	 * job's checkpoint key per busy worker whose job can be parsed.
	 * @param rows the workers of a page
	 * @return each checkpoint by worker id, with its ages on the Redis clock; workers
	 * whose job saved none are left out
	 */
	public Map<String, RunningCheckpoint> checkpoints(List<WorkerRow> rows) {
		Map<String, Checkpoint> found = new LinkedHashMap<>();
		for (WorkerRow row : rows) {
			if (!row.busy() || row.status() == null) {
				continue;
			}
			WorkerStatus.parse(row.status())
				.flatMap((status) -> JobPayload.tryParse(status.payload()))
				.flatMap((job) -> this.redis.checkpoints().read(CheckpointStore.key(job.className(), job.args())))
				.ifPresent((checkpoint) -> found.put(row.id(), checkpoint));
		}
		Map<String, RunningCheckpoint> checkpoints = new LinkedHashMap<>();
		if (found.isEmpty()) {
			return checkpoints;
		}
		long now = this.redis.server().timeMillis();
		found.forEach((id, checkpoint) -> checkpoints.put(id,
				new RunningCheckpoint(checkpoint, age(now, checkpoint.savedAt()),
						(checkpoint.progress() != null) ? age(now, checkpoint.progress().at()) : null)));
		return checkpoints;
	}

	private static Long age(long now, Instant at) {
		return (at != null) ? Math.max(0, now - at.toEpochMilli()) : null;
	}

	/**
	 * The checkpoint of a running job.
	 *
	 * @param checkpoint what the job saved
	 * @param savedAgeMillis how long ago its cursor was saved, or {@code null} without
	 * one
	 * @param progressAgeMillis how long ago it reported its progress, or {@code null}
	 * without any
	 */
	public record RunningCheckpoint(Checkpoint checkpoint, Long savedAgeMillis, Long progressAgeMillis) {
	}

	/**
	 * Prunes workers whose heartbeat is older than a limit, as the pool does: with Ruby's
	 * rule, under Ruby's pruning lock, and never a worker of a pool that still beats.
	 * @param olderThan the heartbeat age beyond which a worker is dead
	 * @param liveness how recent a pool's beat must be for its workers to be left alone
	 * @return the pruned worker ids, or empty when another pruner (a pool, Ruby, this
	 * dashboard) pruned within {@link WorkerStore#PRUNE_LOCK_TTL}
	 */
	public Optional<List<String>> pruneDeadWorkers(Duration olderThan, Duration liveness) {
		return this.redis.workers()
			.pruneDead(PRUNE_LOCK_OWNER, WorkerStore.PRUNE_LOCK_TTL, olderThan, liveness,
					"Resque::PruneDeadWorkerDirtyExit")
			.map(WorkerStore.Pruned::workers);
	}

	// ---- delayed

	/**
	 * One second of resque-scheduler's delayed queue.
	 *
	 * @param second the epoch second
	 * @param size how many items it holds
	 * @param items its first items
	 */
	public record DelayedBucket(long second, long size, List<Job> items) {

		/**
		 * @return when it is due
		 */
		public Instant due() {
			return Instant.ofEpochSecond(this.second);
		}

	}

	/**
	 * Reads a page of the delayed queue's buckets, each with its first items.
	 * @param start the first bucket
	 * @param count how many buckets
	 * @param itemsPerBucket how many items of each
	 * @return the buckets, earliest first
	 */
	public List<DelayedBucket> delayed(long start, int count, int itemsPerBucket) {
		return this.redis.delayed().page(start, count, itemsPerBucket).stream().map((bucket) -> {
			List<Job> jobs = new ArrayList<>();
			for (String item : bucket.items()) {
				jobs.add(job(jobs.size(), item));
			}
			return new DelayedBucket(bucket.second(), bucket.size(), jobs);
		}).toList();
	}

	/**
	 * @param second a bucket's second
	 * @param item an encoded item
	 * @return whether that bucket holds the item
	 */
	public boolean delayedHolds(long second, String item) {
		return this.redis.delayed().holds(second, item);
	}

	/**
	 * Enqueues a delayed item now: removes it from every bucket, as
	 * {@code remove_delayed}, and pushes its class and arguments to its queue once per
	 * copy removed.
	 * @param item the encoded item
	 * @return how many jobs were enqueued
	 * @throws IllegalArgumentException when the item names no queue or class
	 */
	public long enqueueDelayedNow(String item) {
		JsonNode node = JSON.readTree(item);
		String queue = node.path("queue").asString(null);
		String className = node.path("class").asString(null);
		if (queue == null || queue.isBlank() || className == null || className.isBlank()) {
			throw new IllegalArgumentException("the delayed item names no queue or class");
		}
		String payload = JobPayload.render(className, node.path("args").isArray() ? node.get("args").toString() : "[]");
		long removed = this.redis.delayed().remove(item);
		for (long i = 0; i < removed; i++) {
			this.redis.jobs().enqueue(queue, payload);
		}
		return removed;
	}

	/**
	 * Deletes a delayed item from every bucket.
	 * @param item the encoded item
	 * @return how many copies were removed
	 */
	public long deleteDelayed(String item) {
		return this.redis.delayed().remove(item);
	}

	/**
	 * @return the number of delayed buckets
	 */
	public long delayedBuckets() {
		return this.redis.delayed().buckets();
	}

}
