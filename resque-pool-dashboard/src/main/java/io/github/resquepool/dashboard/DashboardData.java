package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueConnection;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.WorkerStatus;

/**
 * What the dashboard reads from Resque's Redis, and the few writes that Resque's stores
 * do not offer as such (clearing a queue, a retry or remove that first checks the entry's
 * content). Reads go through the stores of {@link ResqueRedis} where they exist, else
 * through its {@link ResqueConnection} with the namespace's {@link ResqueKeys}.
 */
public class DashboardData {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Sets a failure entry only while it is still the one shown (LINDEX compare, then
	 * LSET).
	 */
	private static final String SET_IF_SAME = """
			local current = redis.call('LINDEX', KEYS[1], ARGV[1])
			if current ~= ARGV[2] then return 0 end
			redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
			return 1
			""";

	/**
	 * Removes a failure entry as Ruby does (LSET "" then LREM 1 ""), only while it is
	 * still the one shown.
	 */
	private static final String REMOVE_IF_SAME = """
			local current = redis.call('LINDEX', KEYS[1], ARGV[1])
			if current ~= ARGV[2] then return 0 end
			redis.call('LSET', KEYS[1], ARGV[1], '')
			redis.call('LREM', KEYS[1], 1, '')
			return 1
			""";

	/**
	 * Clears a queue only if it is one: its key holds a list, or is absent while the
	 * {@code queues} set names it; UNLINK frees the list's memory off Redis's main
	 * thread. Answers the jobs dropped, -1 for no such queue, -2 for a key that holds no
	 * list.
	 */
	private static final String CLEAR_QUEUE = """
			local kind = redis.call('TYPE', KEYS[1])['ok']
			if kind ~= 'list' and kind ~= 'none' then return -2 end
			local member = redis.call('SISMEMBER', KEYS[2], ARGV[1])
			if kind == 'none' and member == 0 then return -1 end
			local size = 0
			if kind == 'list' then
			  size = redis.call('LLEN', KEYS[1])
			  redis.call('UNLINK', KEYS[1])
			end
			redis.call('SREM', KEYS[2], ARGV[1])
			return size
			""";

	/** How many entries one LRANGE of a scan reads. */
	private static final int CHUNK = 500;

	private final ResqueRedis redis;

	/**
	 * Creates the reader.
	 * @param redis Resque's Redis
	 */
	public DashboardData(ResqueRedis redis) {
		this.redis = redis;
	}

	/**
	 * @return Resque's Redis
	 */
	public ResqueRedis redis() {
		return this.redis;
	}

	private ResqueConnection connection() {
		return this.redis.connection();
	}

	private ResqueKeys keys() {
		return this.redis.keys();
	}

	private static String str(byte[] value) {
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	// ---- overview and stats

	/**
	 * The counts of the overview, read in a few round trips.
	 * @return the counts
	 */
	public Totals totals() {
		long processed = number(str(connection().call((c) -> c.get(keys().processed()))));
		long failedStat = number(str(connection().call((c) -> c.get(keys().failedCount()))));
		Set<String> queues = new TreeSet<>(this.redis.queues().names());
		long queued = 0;
		for (String queue : queues) {
			queued += this.redis.queues().size(queue);
		}
		Set<String> workers = this.redis.workers().ids();
		long working = 0;
		if (!workers.isEmpty()) {
			String[] keys = workers.stream().map(keys()::worker).toArray(String[]::new);
			List<io.lettuce.core.KeyValue<String, byte[]>> values = connection().call((c) -> c.mget(keys));
			working = values.stream().filter((kv) -> kv.hasValue() && kv.getValue().length > 0).count();
		}
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

	private static long number(String text) {
		if (text == null || text.isBlank()) {
			return 0;
		}
		try {
			return Long.parseLong(text.strip());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * A subset of Redis {@code INFO}.
	 * @return field to value, in a fixed order
	 */
	public Map<String, String> redisInfo() {
		String info = connection().call((c) -> c.info());
		Map<String, String> all = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				all.put(line.substring(0, colon), line.substring(colon + 1));
			}
		}
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
		Long result = connection().call((c) -> c.eval(CLEAR_QUEUE, ScriptOutputType.INTEGER,
				new String[] { keys().queue(queue), keys().queues() }, bytes(queue)));
		if (result == null || result == -1L) {
			throw new java.util.NoSuchElementException("There is no queue named '" + queue + "'.");
		}
		if (result == -2L) {
			throw new IllegalArgumentException("The key of '" + queue + "' holds something else than a queue's list.");
		}
		return result;
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
			Set<byte[]> members = connection().call((c) -> c.smembers(keys().poolWorkers(pool)));
			for (byte[] member : members) {
				poolOf.put(str(member), pool);
			}
		}
		long now = this.redis.server().timeMillis();
		List<String> statuses = new ArrayList<>();
		if (!ids.isEmpty()) {
			String[] keys = ids.stream().map(keys()::worker).toArray(String[]::new);
			List<io.lettuce.core.KeyValue<String, byte[]>> values = connection().call((c) -> c.mget(keys));
			values.forEach((kv) -> statuses.add(kv.hasValue() ? str(kv.getValue()) : null));
		}
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
	 * Prunes workers whose heartbeat is older than a limit, with Ruby's rule and the
	 * pool's script (never a worker of a pool that still beats).
	 * @param olderThanSeconds the heartbeat age beyond which a worker is dead
	 * @param liveness how recent a pool's beat must be for its workers to be left alone
	 * @return the pruned worker ids
	 */
	public List<String> pruneDeadWorkers(long olderThanSeconds, java.time.Duration liveness) {
		long nowSeconds = this.redis.server().timeMillis() / 1000;
		Map<String, String> expired = new LinkedHashMap<>();
		this.redis.workers().heartbeats().forEach((id, value) -> RubyTime.parse(value).ifPresent((beat) -> {
			if (nowSeconds - beat.getEpochSecond() > olderThanSeconds) {
				expired.put(id, value);
			}
		}));
		return this.redis.workers().prune(expired, liveness, "Resque::PruneDeadWorkerDirtyExit").workers();
	}

	// ---- failures

	/**
	 * A filter on failures; blank fields match everything.
	 *
	 * @param queue the queue, exactly
	 * @param className the job class, exactly
	 * @param exception the exception class, exactly
	 * @param text a substring of the whole entry, ignoring case
	 */
	public record FailureFilter(String queue, String className, String exception, String text) {

		/** Blank fields become {@code null}. */
		public FailureFilter {
			queue = blankToNull(queue);
			className = blankToNull(className);
			exception = blankToNull(exception);
			text = blankToNull(text);
		}

		/**
		 * @return whether the filter matches everything
		 */
		public boolean isEmpty() {
			return this.queue == null && this.className == null && this.exception == null && this.text == null;
		}

		boolean matches(Failure failure) {
			FailureRecord r = failure.record();
			return (this.queue == null || this.queue.equals(r.queue()))
					&& (this.className == null || this.className.equals(r.jobClass().orElse(null)))
					&& (this.exception == null || this.exception.equals(r.exception()))
					&& (this.text == null || failure.raw()
						.toLowerCase(java.util.Locale.ROOT)
						.contains(this.text.toLowerCase(java.util.Locale.ROOT)));
		}

		/**
		 * @return the filter as query parameters, each followed by {@code &}
		 */
		public String toQuery() {
			StringBuilder q = new StringBuilder();
			append(q, "queue", this.queue);
			append(q, "class", this.className);
			append(q, "exception", this.exception);
			append(q, "q", this.text);
			return q.toString();
		}

		private static void append(StringBuilder query, String name, String value) {
			if (value != null) {
				query.append(name).append('=').append(Html.param(value)).append('&');
			}
		}

		/**
		 * @return the filter in words
		 */
		public String describe() {
			List<String> parts = new ArrayList<>();
			if (this.queue != null) {
				parts.add("queue " + this.queue);
			}
			if (this.className != null) {
				parts.add("class " + this.className);
			}
			if (this.exception != null) {
				parts.add("exception " + this.exception);
			}
			if (this.text != null) {
				parts.add("text \"" + this.text + "\"");
			}
			return String.join(", ", parts);
		}

		private static String blankToNull(String value) {
			return (value == null || value.isBlank()) ? null : value.strip();
		}

	}

	/**
	 * One failure entry as stored.
	 *
	 * @param index its index in {@code failed}
	 * @param raw its text
	 * @param record its fields
	 * @param bytes its bytes as stored, by which an action compares it
	 */
	public record Failure(long index, String raw, FailureRecord record, byte[] bytes) {

		/**
		 * An entry whose bytes are its text in UTF-8.
		 * @param index its index in {@code failed}
		 * @param raw its text
		 * @param record its fields
		 */
		public Failure(long index, String raw, FailureRecord record) {
			this(index, raw, record, DashboardData.bytes(raw));
		}

		/**
		 * @return a digest of the entry's bytes, with which an action checks it still
		 * acts on it
		 */
		public String digest() {
			return DashboardData.digest(this.bytes);
		}

		/**
		 * @return whether the entry is valid UTF-8, so that its text is all of it
		 */
		public boolean isUtf8() {
			return java.util.Arrays.equals(this.bytes, DashboardData.bytes(this.raw));
		}

	}

	/**
	 * What a bulk scan found in one window of {@code failed}.
	 *
	 * @param kept the first matches, at most as many as asked for
	 * @param matches how many entries of the window match
	 * @param from the first index read
	 * @param to the index after the last one read
	 * @param total the length of {@code failed} when the scan began
	 */
	public record Window(List<Failure> kept, long matches, long from, long to, long total) {

		/**
		 * @return whether entries lie beyond the window
		 */
		public boolean more() {
			return this.to < this.total;
		}

	}

	/**
	 * Scans one window of {@code failed} for a filter, in chunks, and keeps only the
	 * first matches: what it holds does not grow with the list.
	 * @param filter the filter
	 * @param from the first index
	 * @param size how many entries the window holds at most
	 * @param keep how many matches to keep
	 * @return what the window holds
	 */
	public Window scanWindow(FailureFilter filter, long from, int size, int keep) {
		long total = this.redis.failures().count();
		long start = Math.max(0, from);
		long to = (start >= total) ? start : start + Math.min(Math.max(0, size), total - start);
		List<Failure> kept = new ArrayList<>();
		long matches = 0;
		for (long chunk = start; chunk < to; chunk += CHUNK) {
			List<Failure> read = readFailures(chunk, Math.min(to, chunk + CHUNK) - 1);
			if (read.isEmpty()) {
				to = chunk;
				break;
			}
			for (Failure failure : read) {
				if (filter.matches(failure)) {
					matches++;
					if (kept.size() < keep) {
						kept.add(failure);
					}
				}
			}
		}
		return new Window(kept, matches, start, to, total);
	}

	/**
	 * A page of failures, possibly of a bounded scan.
	 *
	 * @param entries the entries shown
	 * @param total the length of {@code failed}
	 * @param scanned how many entries the scan read ({@code total} without a filter)
	 * @param scanFrom the first index the scan read
	 * @param matches how many scanned entries match
	 */
	public record FailurePage(List<Failure> entries, long total, long scanned, long scanFrom, long matches) {
	}

	/**
	 * Reads a page of failures: by index without a filter, else from a scan of at most
	 * {@code scanLimit} entries starting at {@code scanFrom}.
	 * @param filter the filter
	 * @param page the page, from 0
	 * @param pageSize entries per page
	 * @param scanFrom where a filtered scan starts
	 * @param scanLimit how many entries a filtered scan reads at most
	 * @return the page
	 */
	public FailurePage failures(FailureFilter filter, int page, int pageSize, long scanFrom, int scanLimit) {
		long total = this.redis.failures().count();
		if (filter.isEmpty()) {
			long start = (long) Math.max(0, page) * pageSize;
			List<Failure> entries = (start < total) ? readFailures(start, start + pageSize - 1) : List.of();
			return new FailurePage(entries, total, total, 0, total);
		}
		long first = Math.min(Math.max(0, scanFrom), total);
		long last = Math.min(total, first + Math.max(0, scanLimit));
		List<Failure> matches = (last > first) ? scan(filter, first, last - 1) : List.of();
		long scanned = last - first;
		int from = (int) Math.min(matches.size(), (long) Math.max(0, page) * pageSize);
		int to = Math.min(matches.size(), from + pageSize);
		return new FailurePage(List.copyOf(matches.subList(from, to)), total, scanned, first, matches.size());
	}

	/**
	 * Every failure that matches a filter, in index order, read in chunks; unbounded with
	 * a {@code stop} of -1, so a bulk action uses {@link #scanWindow} instead.
	 * @param filter the filter
	 * @param start the first index
	 * @param stop the last index, inclusive, or -1 for the end
	 * @return the matching entries
	 */
	public List<Failure> scan(FailureFilter filter, long start, long stop) {
		List<Failure> matches = new ArrayList<>();
		long end = (stop < 0) ? this.redis.failures().count() - 1 : stop;
		for (long chunk = start; chunk <= end; chunk += CHUNK) {
			List<Failure> read = readFailures(chunk, Math.min(end, chunk + CHUNK - 1));
			if (read.isEmpty()) {
				break;
			}
			read.stream().filter(filter::matches).forEach(matches::add);
		}
		return matches;
	}

	private List<Failure> readFailures(long start, long stop) {
		List<Failure> entries = new ArrayList<>();
		long index = start;
		// As bytes, so that an entry that is not valid UTF-8 can still be addressed.
		List<byte[]> stored = connection().call((c) -> c.lrange(keys().failed(), start, stop));
		for (byte[] bytes : stored) {
			String raw = str(bytes);
			FailureRecord record = FailureRecord.parse(raw)
				.orElse(new FailureRecord(null, raw, null, null, null, null, null, null));
			entries.add(new Failure(index++, raw, record, bytes));
		}
		return entries;
	}

	/**
	 * @param index an index
	 * @return the entry there now
	 */
	public Optional<Failure> failure(long index) {
		if (index < 0) {
			return Optional.empty();
		}
		List<Failure> read = readFailures(index, index);
		return read.isEmpty() ? Optional.empty() : Optional.of(read.get(0));
	}

	/**
	 * Retries a failure entry as {@code Resque::Failure.requeue} does, only while the
	 * entry at its index is still the one shown: the check and the {@code retried_at}
	 * mark are one script.
	 * @param failure the entry as read
	 * @return whether it was retried (false when the entry at that index changed)
	 * @throws IllegalArgumentException when the entry names no queue or payload, or is
	 * not valid UTF-8
	 */
	public boolean retry(Failure failure) {
		FailureRecord entry = failure.record();
		if (!failure.isUtf8()) {
			throw new IllegalArgumentException("the failure entry is not valid UTF-8: a retry would enqueue and store "
					+ "a changed copy of it. Nothing was done; remove it instead");
		}
		if (entry.queue() == null || entry.queue().isEmpty()) {
			throw new IllegalArgumentException("the failure entry names no queue to retry on");
		}
		String payload = JobPayload.retryPayload(entry.payload());
		String marked = FailureRecord.markRetried(failure.raw(), RubyTime.failedAtNow());
		Long done = connection()
			.call((c) -> c.eval(SET_IF_SAME, ScriptOutputType.INTEGER, new String[] { keys().failed() },
					bytes(Long.toString(failure.index())), failure.bytes(), bytes(marked)));
		if (done == null || done != 1L) {
			return false;
		}
		this.redis.jobs().enqueue(entry.queue(), payload);
		return true;
	}

	/**
	 * Removes a failure entry as Ruby does, only while the entry at its index is still
	 * the one shown.
	 * @param failure the entry as read
	 * @return whether it was removed
	 */
	public boolean remove(Failure failure) {
		Long done = connection().call((c) -> c.eval(REMOVE_IF_SAME, ScriptOutputType.INTEGER,
				new String[] { keys().failed() }, bytes(Long.toString(failure.index())), failure.bytes()));
		return done != null && done == 1L;
	}

	/**
	 * @param text a text
	 * @return its SHA-256, hex
	 */
	public static String digest(String text) {
		return digest(bytes(text));
	}

	private static String digest(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
		String schedule = this.redis.delayed().scheduleKey();
		List<ScoredValue<byte[]>> buckets = connection()
			.call((c) -> c.zrangeWithScores(schedule, start, start + count - 1));
		List<DelayedBucket> result = new ArrayList<>();
		for (ScoredValue<byte[]> bucket : buckets) {
			String member = str(bucket.getValue());
			String key = keys().key("delayed:" + member);
			long size = connection().call((c) -> c.llen(key));
			List<byte[]> items = connection().call((c) -> c.lrange(key, 0, itemsPerBucket - 1));
			List<Job> jobs = new ArrayList<>();
			long index = 0;
			for (byte[] item : items) {
				jobs.add(job(index++, str(item)));
			}
			result.add(new DelayedBucket((long) bucket.getScore(), size, jobs));
		}
		return result;
	}

	/**
	 * @param second a bucket's second
	 * @param item an encoded item
	 * @return whether that bucket holds the item
	 */
	public boolean delayedHolds(long second, String item) {
		String key = keys().key("delayed:" + second);
		Long position = connection().call((c) -> c.lpos(key, bytes(item)));
		return position != null;
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
