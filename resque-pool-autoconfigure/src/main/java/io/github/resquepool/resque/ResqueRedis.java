package io.github.resquepool.resque;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The one class that talks to Redis. Every command of the pool, the workers and the client goes
 * through here, on one multiplexed connection whatever the number of workers (plus one pub/sub
 * connection for wake-ups). Each call waits at most the command timeout and reports to
 * {@link Connectivity}; a failure surfaces as {@link ResqueRedisException}. Thread-safe.
 */
public final class ResqueRedis implements AutoCloseable {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final String[] NO_KEYS = new String[0];

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] ONE = { '1' };

	private static final byte[] ZERO = { '0' };

	private final RedisClient client;

	private final ResqueKeys keys;

	private final long timeoutMillis;

	private final Connectivity connectivity;

	private final byte[] prefix;

	private final java.util.concurrent.atomic.AtomicLong fetched = new java.util.concurrent.atomic.AtomicLong();

	private final Map<String, Script> scripts = new LinkedHashMap<>();

	private volatile StatefulRedisConnection<String, byte[]> connection;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	private volatile boolean closed;

	/**
	 * Creates the gateway. No connection is made until the first command.
	 * @param client the Lettuce client (Spring Boot's, so {@code spring.data.redis.*} applies)
	 * @param keys the key names of the namespace
	 * @param timeout how long a command may take before it counts as failed
	 * @param connectivity where command outcomes are reported
	 */
	public ResqueRedis(RedisClient client, ResqueKeys keys, Duration timeout, Connectivity connectivity) {
		this.client = client;
		this.keys = keys;
		this.timeoutMillis = timeout.toMillis();
		this.connectivity = connectivity;
		this.prefix = bytes(keys.prefix());
		String lib = resource("lib.lua");
		for (String name : List.of("cycles", "requeue", "register", "unregister", "heartbeat", "recover", "enqueue")) {
			this.scripts.put(name, new Script(lib + "\n" + resource(name + ".lua")));
		}
	}

	/** @return the key names of the namespace */
	public ResqueKeys keys() {
		return this.keys;
	}

	/** @return what is known about the connection, without blocking */
	public Connectivity connectivity() {
		return this.connectivity;
	}

	// ---- jobs

	/**
	 * Pushes a payload as Ruby's {@code Resque.push} does (SADD {@code queues}, RPUSH
	 * {@code queue:<q>}) and announces the queue to idle pool workers, in one atomic step.
	 * @param queue the queue
	 * @param payload the payload text
	 * @return the queue's length after the push
	 */
	public long enqueue(String queue, String payload) {
		return (Long) script("enqueue", ScriptOutputType.INTEGER, List.of(queue, payload));
	}

	/**
	 * One turn for each of several workers of one group, in one atomic step: records the outcome
	 * of each worker's last job (if any) and, for those that ask, takes the next job in strict
	 * priority order and records it at {@code worker:<id>}.
	 * @param queues the group's queue list
	 * @param runAt the {@code run_at} of jobs taken now
	 * @param turns the workers' requests
	 * @return what each worker found, in the order of {@code turns}
	 */
	public List<Fetch> cycles(QueueSpec queues, String runAt, List<Turn> turns) {
		List<String> queueArgs = queues.scriptArguments();
		byte[][] values = new byte[3 + queueArgs.size() + 5 * turns.size()][];
		int i = 0;
		values[i++] = this.prefix;
		values[i++] = bytes(runAt);
		values[i++] = bytes(String.valueOf(queueArgs.size()));
		for (String arg : queueArgs) {
			values[i++] = bytes(arg);
		}
		for (Turn turn : turns) {
			Outcome outcome = turn.outcome();
			values[i++] = bytes(turn.workerId());
			values[i++] = (outcome != null) ? bytes(outcome.kind().scriptValue()) : EMPTY;
			values[i++] = (outcome != null) ? bytes(outcome.statusSha()) : EMPTY;
			values[i++] = (outcome != null && outcome.failureEntry() != null) ? bytes(outcome.failureEntry().toJson()) : EMPTY;
			values[i++] = turn.fetch() ? ONE : ZERO;
		}
		List<Object> results = list(run(this.scripts.get("cycles"), ScriptOutputType.MULTI, values));
		List<Fetch> fetches = new ArrayList<>(results.size());
		for (Object result : results) {
			fetches.add(fetch(list(result)));
		}
		return fetches;
	}

	private Fetch fetch(List<Object> result) {
		String kind = string(result.get(0));
		return switch (kind) {
			case "job" -> new Fetch.Job(string(result.get(1)), (byte[]) result.get(2), string(result.get(3)), false,
					this.fetched.incrementAndGet());
			case "resume" -> resumed(string(result.get(1)), string(result.get(2)), this.fetched.incrementAndGet());
			case "paused" -> new Fetch.Paused();
			case "recorded" -> new Fetch.Recorded();
			default -> new Fetch.Idle(result.subList(1, result.size()).stream().map(ResqueRedis::string).toList());
		};
	}

	private static Fetch resumed(String status, String sha, long sequence) {
		WorkerStatus parsed = WorkerStatus.parse(status).orElse(new WorkerStatus("", "", status));
		String payload = (parsed.payload() != null) ? parsed.payload() : status;
		return new Fetch.Job(parsed.queue(), payload.getBytes(StandardCharsets.UTF_8), sha, true, sequence);
	}

	/**
	 * Puts a job a worker could not finish back at the head of its queue, or records it as a
	 * failure, while the worker still holds it.
	 * @param workerId the worker id
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure to record instead of requeueing, or {@code null} to requeue
	 * @return whether the worker still held the job
	 */
	public boolean requeue(String workerId, String statusSha, FailureRecord failure) {
		Object done = script("requeue", ScriptOutputType.INTEGER,
				List.of(workerId, statusSha, (failure != null) ? "fail" : "requeue", (failure != null) ? failure.toJson() : ""));
		return Long.valueOf(1).equals(done);
	}

	// ---- workers and pools

	/**
	 * Registers workers as Ruby does at start-up (heartbeat, {@code workers},
	 * {@code worker:<id>:started}) and records them as the pool's.
	 * @param poolId the pool id
	 * @param started the registration time in Ruby's {@code Time#to_s} form
	 * @param workerIds the worker ids
	 */
	public void register(String poolId, String started, Collection<String> workerIds) {
		if (!workerIds.isEmpty()) {
			List<String> args = new ArrayList<>(List.of(poolId, started));
			args.addAll(workerIds);
			script("register", ScriptOutputType.VALUE, args);
		}
	}

	/**
	 * Unregisters workers as Ruby does and drops them from the pool's set. A job a worker still
	 * holds goes back to the head of its queue, or becomes a {@code Resque::DirtyExit} failure.
	 * @param poolId the pool id
	 * @param workerIds the worker ids
	 * @param requeue whether held jobs are requeued (else recorded as failures)
	 * @param exception the exception name of such failures ({@code Resque::DirtyExit},
	 * {@code Resque::PruneDeadWorkerDirtyExit})
	 * @return the ids of the workers that still held a job
	 */
	public List<String> unregister(String poolId, Collection<String> workerIds, boolean requeue, String exception) {
		if (workerIds.isEmpty()) {
			return List.of();
		}
		List<String> args = new ArrayList<>(List.of(poolId, requeue ? "requeue" : "fail", RubyTime.failedAtNow(), exception));
		args.addAll(workerIds);
		return list(script("unregister", ScriptOutputType.MULTI, args)).stream().map(ResqueRedis::string).toList();
	}

	/**
	 * The pool's beat: its liveness score and, when worker ids are given, one heartbeat for all
	 * of them.
	 * @param poolId the pool id
	 * @param info a JSON description of the pool
	 * @param workerIds the worker ids, or none for a beat of the pool alone
	 * @return the worker ids no longer registered, and whether Redis still knew the pool
	 */
	public Beat heartbeat(String poolId, String info, Collection<String> workerIds) {
		List<String> args = new ArrayList<>(List.of(poolId, info));
		args.addAll(workerIds);
		List<Object> result = list(script("heartbeat", ScriptOutputType.MULTI, args));
		return new Beat(list(result.get(1)).stream().map(ResqueRedis::string).toList(),
				Long.valueOf(1).equals(result.get(2)));
	}

	/**
	 * What a beat found.
	 *
	 * @param unregistered worker ids that are no longer registered (removed by a pruner, or lost
	 * by a restarted Redis)
	 * @param poolKnown whether Redis still had the pool's record before the beat
	 */
	public record Beat(List<String> unregistered, boolean poolKnown) {
	}

	/**
	 * Lists the pools whose last beat is older than a timeout, by Redis time.
	 * @param timeout the time without a beat after which a pool is dead
	 * @return the ids of those pools
	 */
	public List<String> silentPools(Duration timeout) {
		long now = serverTimeMillis();
		return call((c) -> c.zrangebyscore(this.keys.pools(), io.lettuce.core.Range.create(0, now - timeout.toMillis())))
			.stream()
			.map(ResqueRedis::string)
			.toList();
	}

	/** @return the ids of every pool with a liveness record */
	public List<String> pools() {
		return call((c) -> c.zrange(this.keys.pools(), 0, -1)).stream().map(ResqueRedis::string).toList();
	}

	/**
	 * Recovers a pool that stopped beating (atomic: of several callers exactly one does it).
	 * @param poolId the silent pool
	 * @param timeout the time without a beat after which it is dead; zero for a pool known dead
	 * @param failedAt {@code failed_at} for failure entries
	 * @param requeue whether to requeue its jobs at the head of their queues, else record
	 * {@code Resque::DirtyExit} failures
	 * @return what was recovered, or {@code null} when the pool is alive or already recovered
	 */
	public Recovery recover(String poolId, Duration timeout, String failedAt, boolean requeue) {
		List<Object> result = list(script("recover", ScriptOutputType.MULTI,
				List.of(poolId, String.valueOf(timeout.toMillis()), requeue ? "requeue" : "fail", failedAt)));
		if (result == null || result.isEmpty() || result.get(0) == null) {
			return null;
		}
		List<Object> jobs = list(result.get(1));
		List<Recovery.Job> recovered = new ArrayList<>();
		for (int i = 0; i + 2 < jobs.size(); i += 3) {
			recovered.add(new Recovery.Job(string(jobs.get(i)), string(jobs.get(i + 1)), string(jobs.get(i + 2))));
		}
		return new Recovery(poolId, ((Long) result.get(0)).intValue(), recovered);
	}

	/**
	 * Reads the pool description hashes of every pool.
	 * @param poolId a pool id
	 * @return the pool's hash
	 */
	public Map<String, String> pool(String poolId) {
		Map<String, byte[]> raw = call((c) -> c.hgetall(this.keys.pool(poolId)));
		Map<String, String> result = new LinkedHashMap<>();
		raw.forEach((k, v) -> result.put(k, string(v)));
		return result;
	}

	/** @return every field of {@code workers:heartbeat} */
	public Map<String, String> heartbeats() {
		Map<String, byte[]> raw = call((c) -> c.hgetall(this.keys.heartbeats()));
		Map<String, String> result = new LinkedHashMap<>();
		raw.forEach((k, v) -> result.put(k, string(v)));
		return result;
	}

	/**
	 * Takes Ruby's pruning lock ({@code SET NX EX}).
	 * @param owner the id written into the lock
	 * @param ttl how long it holds
	 * @return whether this caller got it
	 */
	public boolean acquirePruneLock(String owner, Duration ttl) {
		String ok = call((c) -> c.set(this.keys.pruneLock(), bytes(owner), SetArgs.Builder.nx().ex(ttl.toSeconds())));
		return "OK".equals(ok);
	}

	/**
	 * Reads a worker's current job.
	 * @param workerId the worker id
	 * @return the status text, or {@code null} when it is idle
	 */
	public String workerStatus(String workerId) {
		return string(call((c) -> c.get(this.keys.worker(workerId))));
	}

	/** @return the registered worker ids */
	public Set<String> workers() {
		return strings(call((c) -> c.smembers(this.keys.workers())));
	}

	/** @return Redis {@code TIME} in milliseconds */
	public long serverTimeMillis() {
		List<byte[]> time = call(RedisAsyncCommands::time);
		return Long.parseLong(string(time.get(0))) * 1000 + Long.parseLong(string(time.get(1))) / 1000;
	}

	// ---- queues and failures

	/** @return the members of the {@code queues} set */
	public Set<String> queues() {
		return strings(call((c) -> c.smembers(this.keys.queues())));
	}

	/**
	 * @param queue a queue name
	 * @return the number of jobs waiting in it (0 when its key is not a list)
	 */
	public long queueSize(String queue) {
		try {
			return call((c) -> c.llen(this.keys.queue(queue)));
		}
		catch (WrongTypeException ex) {
			return 0;
		}
	}

	/**
	 * Reads queue elements without taking them.
	 * @param queue a queue name
	 * @param start first index
	 * @param stop last index, inclusive
	 * @return the payload texts
	 */
	public List<String> peek(String queue, long start, long stop) {
		return call((c) -> c.lrange(this.keys.queue(queue), start, stop)).stream().map(ResqueRedis::string).toList();
	}

	/**
	 * Removes every element equal to a payload from a queue (LREM 0), as Ruby's
	 * {@code Resque.dequeue} with arguments.
	 * @param queue the queue
	 * @param payload the payload text
	 * @return how many were removed
	 */
	public long removeFromQueue(String queue, String payload) {
		return call((c) -> c.lrem(this.keys.queue(queue), 0, bytes(payload)));
	}

	/**
	 * Removes every job of a class from a queue, as Ruby's {@code Resque.dequeue} without
	 * arguments: each element is read and the matching ones removed one by one.
	 * @param queue the queue
	 * @param className the class name
	 * @return how many were removed
	 */
	public long removeClassFromQueue(String queue, String className) {
		long removed = 0;
		for (String payload : peek(queue, 0, -1)) {
			if (JobPayload.tryParse(payload).filter((p) -> p.className().equals(className)).isPresent()) {
				removed += call((c) -> c.lrem(this.keys.queue(queue), 1, bytes(payload)));
			}
		}
		return removed;
	}

	/** @return whether {@code pause-all-workers} is set the way Ruby reads it */
	public boolean pauseAllWorkers() {
		String value = string(call((c) -> c.get(this.keys.pauseAllWorkers())));
		return value != null && value.strip().equalsIgnoreCase("true");
	}

	/** @return the length of the {@code failed} list */
	public long failureCount() {
		return call((c) -> c.llen(this.keys.failed()));
	}

	/**
	 * @param start first index
	 * @param stop last index, inclusive
	 * @return the raw failure entries
	 */
	public List<String> failures(long start, long stop) {
		return call((c) -> c.lrange(this.keys.failed(), start, stop)).stream().map(ResqueRedis::string).toList();
	}

	/**
	 * Replaces a failure entry ({@code LSET}).
	 * @param index the index
	 * @param entry the new text
	 */
	public void setFailure(long index, String entry) {
		call((c) -> c.lset(this.keys.failed(), index, bytes(entry)));
	}

	/**
	 * Removes a failure entry as Ruby does: LSET it to {@code ""}, then LREM one {@code ""}.
	 * @param index the index
	 */
	public void removeFailure(long index) {
		call((c) -> c.lset(this.keys.failed(), index, new byte[0]));
		call((c) -> c.lrem(this.keys.failed(), 1, new byte[0]));
	}

	/** Deletes the {@code failed} list. */
	public void clearFailures() {
		call((c) -> c.del(this.keys.failed()));
	}

	// ---- wake-ups

	/**
	 * Subscribes to the queue names announced by enqueues through {@link #enqueue}. Lettuce
	 * subscribes again by itself after a reconnect.
	 * @param listener receives each queue name, on a Lettuce thread
	 */
	public synchronized void subscribeEnqueued(Consumer<String> listener) {
		if (this.pubSub != null) {
			return;
		}
		if (this.closed) {
			throw new ResqueRedisException("the resque-pool Redis connection is closed", null);
		}
		StatefulRedisPubSubConnection<String, String> connection = this.client.connectPubSub(StringCodec.UTF8);
		connection.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				listener.accept(message);
			}
		});
		await(connection.async().subscribe(this.keys.enqueuedChannel()));
		this.pubSub = connection;
	}

	/**
	 * Closes the connections. From then on every command fails at once, without connecting
	 * again, until {@link #reopen()}: Spring Boot's client may already be shut down, and a connect
	 * on it would never return.
	 */
	@Override
	public void close() {
		this.closed = true;
		StatefulRedisPubSubConnection<String, String> pubSubConnection = this.pubSub;
		this.pubSub = null;
		if (pubSubConnection != null) {
			pubSubConnection.closeAsync();
		}
		StatefulRedisConnection<String, byte[]> commands = this.connection;
		this.connection = null;
		if (commands != null) {
			commands.closeAsync();
		}
	}

	/** Lets the gateway connect again after {@link #close()}, when the context starts again. */
	public void reopen() {
		this.closed = false;
	}

	// ---- plumbing

	private Object script(String name, ScriptOutputType type, List<String> args) {
		byte[][] values = new byte[args.size() + 1][];
		values[0] = this.prefix;
		for (int i = 0; i < args.size(); i++) {
			values[i + 1] = bytes(args.get(i));
		}
		return run(this.scripts.get(name), type, values);
	}

	private Object run(Script script, ScriptOutputType type, byte[][] values) {
		try {
			return call((c) -> c.evalsha(script.sha(), type, NO_KEYS, values));
		}
		catch (NoScriptException ex) {
			return call((c) -> c.eval(script.source(), type, NO_KEYS, values));
		}
	}

	private <T> T call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
		return await(command.apply(connection().async()));
	}

	private <T> T await(RedisFuture<T> future) {
		try {
			T result = future.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			this.connectivity.succeeded();
			return result;
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			ResqueRedisException error = new ResqueRedisException("Redis did not answer within " + this.timeoutMillis + " ms", ex);
			this.connectivity.failed(error);
			throw error;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(false);
			throw new ResqueRedisException("interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RedisNoScriptException) {
				this.connectivity.succeeded();
				throw new NoScriptException();
			}
			String message = String.valueOf(cause.getMessage());
			if (message.startsWith("WRONGTYPE")) {
				this.connectivity.succeeded();
				throw new WrongTypeException(message);
			}
			if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
				this.connectivity.succeeded();
				throw new IllegalStateException("Redis refused a command: " + message, cause);
			}
			ResqueRedisException error = new ResqueRedisException("Redis command failed: " + message, cause);
			this.connectivity.failed(error);
			throw error;
		}
	}

	private StatefulRedisConnection<String, byte[]> connection() {
		StatefulRedisConnection<String, byte[]> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.closed) {
				throw new ResqueRedisException("the resque-pool Redis connection is closed", null);
			}
			if (this.connection == null) {
				try {
					this.connection = this.client.connect(CODEC);
				}
				catch (RuntimeException ex) {
					ResqueRedisException error = new ResqueRedisException("cannot connect to Redis: " + ex.getMessage(), ex);
					this.connectivity.failed(error);
					throw error;
				}
			}
			return this.connection;
		}
	}

	private static String resource(String name) {
		try (InputStream in = ResqueRedis.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("missing script " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read script " + name, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (value != null) ? (List<Object>) value : List.of();
	}

	private static Set<String> strings(Collection<byte[]> values) {
		Set<String> result = new java.util.TreeSet<>();
		values.forEach((v) -> result.add(string(v)));
		return result;
	}

	static String string(Object value) {
		if (value == null) {
			return null;
		}
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private record Script(String source, String sha) {

		Script(String source) {
			this(source, sha1(source));
		}

		private static String sha1(String source) {
			try {
				byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(bytes(source));
				return java.util.HexFormat.of().formatHex(digest);
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	private static final class NoScriptException extends RuntimeException {

		NoScriptException() {
			super(null, null, false, false);
		}

	}

	/** A key holds another type than the command expects. */
	static final class WrongTypeException extends RuntimeException {

		WrongTypeException(String message) {
			super(message, null, false, false);
		}

	}

}
