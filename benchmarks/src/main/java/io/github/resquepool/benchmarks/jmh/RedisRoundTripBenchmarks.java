package io.github.resquepool.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueConnection;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.Turn;
import io.github.resquepool.worker.GroupFetcher;

/**
 * Redis round trips through one shared Lettuce connection, as the pool makes them (run
 * with 1 and 16 threads): the pool's atomic {@code JobStore#cycles} with one worker's
 * turn (record the last job's outcome, take the next one and record it at
 * {@code worker:<id>}, one EVALSHA), with 16 turns in one call, and through the
 * {@link GroupFetcher} the workers of a group share; against a plain {@code LPOP} (a
 * fetch without crash safety) and {@code LPOP} + {@code SET} (a non-atomic crash-safe
 * fetch: two round trips). The {@code LPOP} is the baseline: one synchronous command per
 * operation through Lettuce's sync API on that one connection, so one round trip as
 * Lettuce makes it, no pipelining. Scores are jobs per second. The queue is filled before
 * each trial (1,000 payloads per {@code RPUSH}, over a connection of its own that no
 * score includes); a benchmark that ever finds it empty reports so on standard error.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisRoundTripBenchmarks {

	private static final String PAYLOAD = "{\"class\":\"Bench::Noop\",\"args\":[]}";

	/** The Redis port (the runner passes its embedded Redis). */
	@Param("6379")
	public int redisPort;

	/** Payloads pushed to the queue before each trial. */
	@Param("1500000")
	public int prefill;

	private RedisClient client;

	private static final String POOL = "jmh-pool";

	private ResqueRedis redis;

	private StatefulRedisConnection<String, byte[]> connection;

	private final QueueSpec queues = QueueSpec.parse("jmh");

	private final AtomicInteger threads = new AtomicInteger();

	private final AtomicLong empty = new AtomicLong();

	private GroupFetcher combiner;

	/** Connects and fills the queue. */
	@Setup(Level.Trial)
	public void setUp() {
		try (StatefulRedisConnection<String, String> setup = RedisConnections.open("127.0.0.1", this.redisPort)) {
			RedisCommands<String, String> sync = setup.sync();
			sync.del("resque:queue:jmh");
			sync.sadd("resque:queues", "jmh");
			// The fetch takes jobs only for a registered pool.
			sync.sadd("resque:resquepool:pool:" + POOL + ":workers", "jmh-worker");
			String[] payloads = new String[1000];
			Arrays.fill(payloads, PAYLOAD);
			for (int i = 0; i < this.prefill; i += 1000) {
				sync.rpush("resque:queue:jmh", payloads);
			}
		}
		this.client = RedisClient.create("redis://127.0.0.1:" + this.redisPort);
		this.redis = new ResqueRedis(
				new ResqueConnection(() -> this.client, Duration.ofSeconds(5), new Connectivity(Clock.systemUTC())),
				new ResqueKeys("resque"));
		this.connection = this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		this.combiner = new GroupFetcher(this.redis.jobs(), POOL, "jmh", this.queues, Clock.systemUTC());
	}

	/** Disconnects; reports a queue that ran dry. */
	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.empty.get() > 0) {
			System.err.println("WARNING: the jmh queue ran dry " + this.empty.get() + " times; raise prefill");
		}
		this.combiner.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	/** One simulated worker per JMH thread. */
	@State(Scope.Thread)
	public static class WorkerSlot {

		String id;

		Outcome pending;

		final String[] ids = new String[16];

		final Outcome[] outcomes = new Outcome[16];

		/**
		 * Names the worker (and 16 workers for the batch benchmark).
		 * @param bench the shared state
		 */
		@Setup(Level.Trial)
		public void setUp(RedisRoundTripBenchmarks bench) {
			int n = bench.threads.incrementAndGet();
			this.id = "jmh:1-" + n + ":jmh";
			for (int i = 0; i < 16; i++) {
				this.ids[i] = "jmh:1-" + n + "x" + i + ":jmh";
			}
		}

		void found(Fetch fetch, RedisRoundTripBenchmarks bench) {
			this.pending = outcome(fetch, bench);
		}

	}

	private Outcome outcome(Fetch found) {
		return outcome(found, this);
	}

	private static Outcome outcome(Fetch found, RedisRoundTripBenchmarks bench) {
		if (found instanceof Fetch.Job job) {
			return Outcome.succeeded(job.statusSha());
		}
		bench.empty.incrementAndGet();
		return null;
	}

	/**
	 * One turn of one worker: the outcome of its last job and its next job, one EVALSHA.
	 * @param slot the worker
	 * @return what it found
	 */
	@Benchmark
	public Fetch cycle(WorkerSlot slot) {
		Fetch found = this.redis.jobs()
			.cycles(POOL, this.queues, RubyTime.runAt(Instant.now()), List.of(new Turn(slot.id, slot.pending, true)))
			.get(0);
		slot.found(found, this);
		return found;
	}

	/**
	 * The turns of 16 workers in one EVALSHA, as the combiner sends them when 16 workers
	 * finished a job meanwhile. Scored per job.
	 * @param slot the workers
	 * @return what the last one found
	 */
	@Benchmark
	@OperationsPerInvocation(16)
	public Fetch cycleBatch16(WorkerSlot slot) {
		List<Turn> turns = new ArrayList<>(16);
		for (int i = 0; i < 16; i++) {
			turns.add(new Turn(slot.ids[i], slot.outcomes[i], true));
		}
		List<Fetch> found = this.redis.jobs().cycles(POOL, this.queues, RubyTime.runAt(Instant.now()), turns);
		for (int i = 0; i < 16; i++) {
			slot.outcomes[i] = outcome(found.get(i));
		}
		return found.get(15);
	}

	/**
	 * One worker's turn through the group's {@link GroupFetcher}, the pool's own path
	 * (with 16 threads, turns that meet are combined into one call).
	 * @param slot the worker
	 * @return what it found
	 */
	@Benchmark
	public Fetch combinedTurn(WorkerSlot slot) {
		Fetch found = this.combiner.turn(new Turn(slot.id, slot.pending, true));
		slot.found(found, this);
		return found;
	}

	/**
	 * A plain LPOP: the floor of one round trip on the shared connection.
	 * @return the payload
	 */
	@Benchmark
	public byte[] lpop() {
		byte[] job = this.connection.sync().lpop("resque:queue:jmh");
		if (job == null) {
			this.empty.incrementAndGet();
		}
		return job;
	}

	/**
	 * LPOP then SET worker:&lt;id&gt;: a crash-safe fetch in two round trips, not atomic.
	 * @param slot the worker
	 * @return the reply of SET
	 */
	@Benchmark
	public String lpopThenSet(WorkerSlot slot) {
		RedisCommands<String, byte[]> sync = this.connection.sync();
		byte[] job = sync.lpop("resque:queue:jmh");
		if (job == null) {
			this.empty.incrementAndGet();
			return null;
		}
		return sync.set("resque:worker:" + slot.id,
				("{\"queue\":\"jmh\",\"payload\":" + new String(job, StandardCharsets.UTF_8) + "}")
					.getBytes(StandardCharsets.UTF_8));
	}

}
