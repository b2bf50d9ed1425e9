package io.github.resquepool.contract;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;
import io.github.resquepool.job.ResqueUnique;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Fleet limits and unique jobs next to real Ruby: Resque 3.0 from its {@code lib/} on
 * Debian's Ruby, through {@code interop/ruby/limits_peer.rb} (Ruby's
 * {@code Resque.enqueue}, {@code Resque::Job.create}, and what {@code Resque.info},
 * {@code Resque.workers}, {@code Resque.working}, {@code Resque.size},
 * {@code Resque.peek} and {@code Resque.keys} say) and {@code run_java_payload.rb} (a
 * real {@code Resque::Worker}, which takes its job with {@code Resque::Job.reserve}).
 * <p>
 * What this shows: Java's limits and locks live under {@code resquepool:} and nowhere in
 * Resque's own structures; a job a class limit held back goes back to its queue byte for
 * byte and a Ruby worker runs it; Ruby's copy of a unique job is byte-identical to Java's
 * (for these arguments: {@code ResqueClient.enqueue} writes floats and control characters
 * unlike Ruby, see interop/README.md).
 * <p>
 * What Ruby does <b>not</b> honour (docs/flow-control.md, "Ruby workers" and "Copies the
 * lock does not know"): a Ruby worker takes jobs from a limited queue without a slot, so
 * Ruby's share is outside the limit; it ignores resque-pause's queue keys (core Resque
 * reads only {@code pause-all-workers}); Ruby's enqueue of a unique job is never refused;
 * and a Ruby worker that runs a unique job leaves its lock ({@code queued:<queue>}) until
 * its ttl, so Java's identical enqueues are refused meanwhile.
 * <p>
 * Skipped, and said, where Ruby or Resque's {@code lib/} (env {@code RESQUE_LIB}, default
 * {@code /tmp/gems/resque/lib}) is missing: see interop/README.md.
 */
@ExtendWith(RedisExtension.class)
class LimitsRubyInteropTests {

	private static final Path RESQUE_LIB = Path.of(System.getenv().getOrDefault("RESQUE_LIB", "/tmp/gems/resque/lib"));

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String REPORT_LIMIT = "resque:resquepool:limit:class:Limits::Report:0";

	private static final String EXPORTS_LIMIT = "resque:resquepool:limit:queue:exports";

	@Test
	void aJobAClassLimitHeldBackGoesBackToItsQueueByteForByteAndARubyWorkerRunsIt(TestRedis redis, TestInfo test)
			throws Exception {
		requireRuby(test);
		ContractSupport.runner()
			.withPropertyValues("resque.pool.groups.reports.queues=reports", "resque.pool.groups.reports.count=2")
			.withBean(Reports.class)
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					List<String> first = written(
							peer(redis, "enqueue", "reports", "Limits::Report", "[[\"r1\",1.0e-05,\"é/x\"]]"));
					eventually(WAIT, () -> assertThat(reports.started).containsExactly("r1"));
					List<String> second = written(peer(redis, "enqueue", "reports", "Limits::Report",
							"[[\"r2\",1.0e-05,\"é/x <b>&amp;</b> \\\"q\\\"\"]]"));
					assertThat(second).containsExactly(
							"{\"class\":\"Limits::Report\",\"args\":[\"r2\",1.0e-05,\"é/x <b>&amp;</b> \\\"q\\\"\"]}");
					// r1 holds the only slot: the second Java worker moved r2 off
					// the queue to the limit's waiting list, inside its working
					// status, bytes intact.
					eventually(WAIT, () -> assertThat(lrange(raw, REPORT_LIMIT + ":waiting")).singleElement()
						.satisfies((status) -> assertThat(status).contains("\"payload\":" + second.get(0) + "}")));
					assertThat(raw.sync().llen("resque:queue:reports")).isZero();

					JsonNode view = peer(redis, "view", "reports");
					assertSeesNothingForeign(view, raw, "reports");
					assertThat(view.get("size").get("reports").asInt()).isZero();
					assertThat(view.get("peek").get("reports").isEmpty()).isTrue();
					assertThat(view.at("/info/pending").asInt()).as("a held-back job is in no queue").isZero();
					assertThat(view.at("/info/working").asInt()).isEqualTo(1);
					assertThat(view.get("working")).singleElement().satisfies((worker) -> {
						assertThat(worker.at("/job/queue").asString()).isEqualTo("reports");
						assertThat(worker.at("/job/payload")).isEqualTo(ContractSupport.json(first.get(0)));
					});
					assertThat(view.get("foreign_keys").propertyNames()).contains(
							"resquepool:limit:class:Limits::Report:0:held",
							"resquepool:limit:class:Limits::Report:0:waiting");

					// Java is kept off the queue (resque-pause's key), then r1 ends:
					// its slot lets r2 go back to the head of its queue, exactly as
					// Ruby wrote it.
					context.getBean(ResqueFleet.class).pauseQueue("reports", "test");
					reports.gate.countDown();
					eventually(WAIT, () -> assertThat(lrange(raw, "resque:queue:reports")).isEqualTo(second));
					try (StatefulRedisConnection<byte[], byte[]> bytes = redis.connectBytes()) {
						assertThat(bytes.sync().lindex(bytes("resque:queue:reports"), 0))
							.isEqualTo(bytes(second.get(0)));
					}
					assertThat(raw.sync().exists(REPORT_LIMIT + ":waiting")).isZero();
					view = peer(redis, "view", "reports");
					assertThat(view.get("size").get("reports").asInt()).isEqualTo(1);
					assertThat(view.at("/raw/reports")).singleElement()
						.satisfies((element) -> assertThat(element.asString()).isEqualTo(second.get(0)));
					assertThat(view.at("/peek/reports")).singleElement().isEqualTo(ContractSupport.json(second.get(0)));

					// A real Ruby worker takes it (the pause is no core Resque key)
					// and runs it.
					String output = rubyWorker(redis, "reports");
					assertThat(performed(raw)).as(output).singleElement().satisfies((job) -> {
						assertThat(job.get("class").asString()).isEqualTo("Limits::Report");
						assertThat(job.get("args").toString())
							.isEqualTo("[\"r2\",1.0E-5,\"é/x <b>&amp;</b> \\\"q\\\"\"]");
						assertThat(job.get("inspect").asString())
							.isEqualTo("[\"r2\", 1.0e-05, \"é/x <b>&amp;</b> \\\"q\\\"\"]");
					});
					assertThat(raw.sync().llen("resque:queue:reports")).isZero();
					assertThat(raw.sync().llen("resque:failed")).as(output).isZero();
					assertThat(reports.finished).containsExactly("r1");
					assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("2");
					assertThat(raw.sync().hlen(REPORT_LIMIT + ":held")).isZero();
				}
			});
	}

	@Test
	void aRubyWorkerTakesJobsFromALimitedQueuePastTheLimitAndSeesNothingForeign(TestRedis redis, TestInfo test)
			throws Exception {
		requireRuby(test);
		ContractSupport.runner()
			.withPropertyValues("resque.pool.groups.exports.queues=exports", "resque.pool.groups.exports.count=2",
					"resque.pool.queue-limits.exports=1")
			.withBean(Exports.class)
			.run((context) -> {
				Exports exports = context.getBean(Exports.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					List<String> written = written(
							peer(redis, "enqueue", "exports", "Limits::Export", "[[\"e1\"],[\"e2\"],[\"e3\"]]"));
					assertThat(written).hasSize(3);
					// One Java worker runs e1 in the queue's only slot; the other passed
					// the queue over and left e2 and e3 where they are.
					eventually(WAIT, () -> assertThat(exports.started).containsExactly("e1"));
					eventually(WAIT, () -> assertThat(raw.sync().exists(EXPORTS_LIMIT + ":full")).isOne());
					assertThat(lrange(raw, "resque:queue:exports")).containsExactlyElementsOf(written.subList(1, 3));

					JsonNode view = peer(redis, "view", "exports");
					assertSeesNothingForeign(view, raw, "exports");
					assertThat(view.at("/info/pending").asInt()).isEqualTo(2);
					assertThat(view.at("/info/working").asInt()).isEqualTo(1);
					assertThat(view.at("/info/workers").asInt()).isEqualTo(2);
					assertThat(view.at("/info/queues").asInt()).isEqualTo(1);
					assertThat(view.get("size").get("exports").asInt()).isEqualTo(2);
					assertThat(view.at("/peek/exports")).containsExactly(ContractSupport.json(written.get(1)),
							ContractSupport.json(written.get(2)));
					assertThat(view.at("/raw/exports").valueStream().map(JsonNode::asString))
						.containsExactlyElementsOf(written.subList(1, 3));
					assertThat(view.get("working")).singleElement()
						.satisfies((worker) -> assertThat(worker.at("/job/payload"))
							.isEqualTo(ContractSupport.json(written.get(0))));
					assertThat(view.get("foreign_keys").propertyNames()).contains("resquepool:limit:queue:exports:held",
							"resquepool:limit:queue:exports:full");

					// A Ruby worker ignores the limit: it runs e2 while Java's e1 still
					// holds the only slot.
					String output = rubyWorker(redis, "exports");
					assertThat(performed(raw)).as(output)
						.singleElement()
						.satisfies((job) -> assertThat(job.get("args").toString()).isEqualTo("[\"e2\"]"));
					assertThat(exports.finished).as("e1 still runs in Java").isEmpty();
					assertThat(raw.sync().hlen(EXPORTS_LIMIT + ":held")).isOne();
					assertThat(lrange(raw, "resque:queue:exports")).containsExactly(written.get(2));

					exports.gate.countDown();
					eventually(WAIT, () -> assertThat(exports.finished).containsExactly("e1", "e3"));
					eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("3"));
					assertThat(raw.sync().llen("resque:failed")).as(output).isZero();
				}
			});
	}

	@Test
	void aUniqueJobEnqueuedFromJavaIsByteIdenticalToRubysAndRubysCopyIsNotRefused(TestRedis redis, TestInfo test)
			throws Exception {
		requireRuby(test);
		Object[] args = { 42, "é/x <b>&amp;</b>", true, options() };
		String[] lock = new String[1];
		String rubyArgs = "[[42,\"é/x <b>&amp;</b>\",true,{\"a\":1,\"big\":18446744073709551616,\"none\":null,"
				+ "\"list\":[1,\"two\"]}]]";
		ContractSupport.runner()
			.withPropertyValues("resque.pool.enabled=false")
			.withBean(Search.class)
			.run((context) -> {
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					assertThat(client.enqueue("search", "Search::Reindex", args)).isOne();
					lock[0] = onlyKey(raw, "resque:resquepool:unique:Search::Reindex:*");
					assertThat(raw.sync().get(lock[0])).isEqualTo("queued:search");
					JsonNode enqueued = peer(redis, "enqueue", "search", "Search::Reindex", rubyArgs);
					assertThat(enqueued.get("returned")).singleElement()
						.satisfies((returned) -> assertThat(returned.asString()).isEqualTo("true"));
					try (StatefulRedisConnection<byte[], byte[]> bytes = redis.connectBytes()) {
						List<byte[]> queue = bytes.sync().lrange(bytes("resque:queue:search"), 0, -1);
						assertThat(queue).hasSize(2);
						assertThat(new String(queue.get(0), StandardCharsets.UTF_8)).as("Java's payload is Ruby's")
							.isEqualTo(new String(queue.get(1), StandardCharsets.UTF_8));
						assertThat(queue.get(0)).isEqualTo(queue.get(1));
						assertThat(queue.get(1)).isEqualTo(bytes(written(enqueued).get(0)));
					}
					assertThat(client.enqueue("search", "Search::Reindex", args)).isEqualTo(ResqueClient.DUPLICATE);
					assertThat(raw.sync().llen("resque:queue:search")).isEqualTo(2);
					assertThat(raw.sync().get(lock[0])).isEqualTo("queued:search");
				}
			});
		// One Java worker: no copy runs when it takes the second, so Ruby's copy
		// runs too, each copy once, and the lock is gone at the end.
		ContractSupport.runner()
			.withPropertyValues("resque.pool.groups.search.queues=search", "resque.pool.groups.search.count=1")
			.withBean(Search.class)
			.run((context) -> {
				Search search = context.getBean(Search.class);
				search.gate.countDown();
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("2"));
					assertThat(search.finished).containsExactly("42", "42");
					assertThat(raw.sync().exists(lock[0])).isZero();
					assertThat(raw.sync().llen("resque:failed")).isZero();
				}
			});
	}

	@Test
	void aJavaWorkerSkipsRubysCopyOfARunningUniqueJobWithoutTouchingItsLock(TestRedis redis, TestInfo test)
			throws Exception {
		requireRuby(test);
		Object[] args = { 7, "nightly", false, Map.of() };
		ContractSupport.runner()
			.withConfiguration(AutoConfigurations.of(ResquePoolMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("resque.pool.groups.search.queues=search", "resque.pool.groups.search.count=2")
			.withBean(Search.class)
			.run((context) -> {
				Search search = context.getBean(Search.class);
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					assertThat(client.enqueue("search", "Search::Reindex", args)).isOne();
					eventually(WAIT, () -> assertThat(search.started).containsExactly("7"));
					String lock = onlyKey(raw, "resque:resquepool:unique:Search::Reindex:*");
					String holder = raw.sync().get(lock);
					assertThat(holder).startsWith("running:");
					assertThat(smembers(raw, ContractSupport.WORKERS)).contains(holder.substring(8));

					// Ruby knows no lock: its Resque::Job.create is not refused ...
					JsonNode enqueued = peer(redis, "enqueue", "search", "Search::Reindex",
							"[[7,\"nightly\",false,{}]]", "--job-create");
					assertThat(written(enqueued))
						.containsExactly("{\"class\":\"Search::Reindex\",\"args\":[7,\"nightly\",false,{}]}");
					// ... and the other Java worker skips that copy: not run, no
					// failure, counted as processed and as a duplicate, the lock left
					// to its owner.
					eventually(WAIT, () -> assertThat(duplicates(context.getBean(MeterRegistry.class))).isOne());
					assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("1");
					assertThat(raw.sync().llen("resque:queue:search")).isZero();
					assertThat(raw.sync().llen("resque:failed")).isZero();
					assertThat(search.started).containsExactly("7");
					assertThat(raw.sync().get(lock)).isEqualTo(holder);
					assertThat(client.enqueue("search", "Search::Reindex", args)).isEqualTo(ResqueClient.DUPLICATE);

					search.gate.countDown();
					// The lock is released as the job ends, before its outcome is
					// recorded.
					eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("2"));
					assertThat(raw.sync().exists(lock)).isZero();
					assertThat(search.finished).containsExactly("7");
					assertThat(raw.sync().get("resque:stat:failed")).isNull();
				}
			});
	}

	@Test
	void aRubyWorkerRunsAUniqueJobFromJavaAndLeavesItsLockUntilItsTtl(TestRedis redis, TestInfo test) throws Exception {
		requireRuby(test);
		ContractSupport.runner()
			.withPropertyValues("resque.pool.enabled=false")
			.withBean(Search.class)
			.run((context) -> {
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					assertThat(client.enqueue("search", "Search::Compact", 9, 1.0E-5)).isOne();
					String lock = onlyKey(raw, "resque:resquepool:unique:Search::Compact:*");
					assertThat(raw.sync().get(lock)).isEqualTo("queued:search");
					String output = rubyWorker(redis, "search");
					assertThat(performed(raw)).as(output)
						.singleElement()
						.satisfies((job) -> assertThat(job.get("inspect").asString()).isEqualTo("[9, 1.0e-05]"));
					assertThat(raw.sync().llen("resque:queue:search")).isZero();
					// Nothing is queued or running, yet the waiting copy's lock
					// stays ...
					assertThat(raw.sync().get(lock)).isEqualTo("queued:search");
					assertThat(raw.sync().pttl(lock)).isBetween(1L, Duration.ofMinutes(10).toMillis());
					// ... and refuses Java's identical enqueue until its ttl.
					assertThat(client.enqueue("search", "Search::Compact", 9, 1.0E-5))
						.isEqualTo(ResqueClient.DUPLICATE);
					assertThat(raw.sync().llen("resque:queue:search")).isZero();
				}
			});
	}

	/**
	 * Checks Ruby's view of Resque's own structures: the queues set holds the queue, the
	 * workers are the Java pool's (ids Ruby parses back to this host and pid), nothing
	 * failed, and every key of the namespace that is not Resque's own is one of the
	 * pool's, under {@code resquepool:}, with a size resque-web can show.
	 */
	private static void assertSeesNothingForeign(JsonNode view, StatefulRedisConnection<String, String> raw,
			String queue) {
		assertThat(view.get("queues").valueStream().map(JsonNode::asString)).containsExactly(queue);
		Set<String> ids = new TreeSet<>();
		view.get("workers").forEach((worker) -> {
			ids.add(worker.get("id").asString());
			assertThat(worker.get("exists").asBoolean()).isTrue();
			assertThat(worker.get("hostname").asString()).isEqualTo(ContractSupport.hostname());
			assertThat(worker.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
			assertThat(worker.get("queues").valueStream().map(JsonNode::asString)).containsExactly(queue);
		});
		assertThat(ids).isEqualTo(smembers(raw, ContractSupport.WORKERS)).hasSize(2);
		assertThat(view.at("/info/workers").asInt()).isEqualTo(2);
		assertThat(view.get("failed").asInt()).isZero();
		assertThat(view.get("foreign_keys").propertyNames()).isNotEmpty()
			.allSatisfy((key) -> assertThat(key).startsWith("resquepool:"));
		view.get("foreign_keys").forEach((key) -> assertThat(key.get("size").isNumber()).as(key.toString()).isTrue());
	}

	private static List<String> written(JsonNode enqueued) {
		List<String> written = new ArrayList<>();
		enqueued.get("written").forEach((push) -> written.add(push.get("bytes").asString()));
		return written;
	}

	private static List<JsonNode> performed(StatefulRedisConnection<String, String> raw) {
		return lrange(raw, "interop:performed").stream().map(ContractSupport::json).toList();
	}

	private static double duplicates(MeterRegistry meters) {
		Counter counter = meters.find("resque.jobs")
			.tags("outcome", "duplicate", "queue", "search", "class", "Search::Reindex")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static Map<String, Object> options() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("a", 1);
		options.put("big", new BigInteger("18446744073709551616"));
		options.put("none", null);
		options.put("list", List.of(1, "two"));
		return options;
	}

	private static void requireRuby(TestInfo test) {
		boolean ruby = Files.isRegularFile(RESQUE_LIB.resolve("resque.rb"))
				&& Files.isExecutable(Path.of("/usr/bin/ruby"));
		if (!ruby) {
			// Said plainly, not skipped silently: these checks need real Ruby
			// and Resque's lib/.
			System.out.println("[interop] SKIPPED " + test.getDisplayName() + ": it needs Debian's ruby and ruby-redis "
					+ "packages and Resque's lib/ at " + RESQUE_LIB + " (set RESQUE_LIB; see interop/README.md)");
		}
		assumeThat(ruby).as("Ruby and Resque's lib/ at " + RESQUE_LIB + " (see interop/README.md)").isTrue();
	}

	/** Runs {@code limits_peer.rb} and reads the JSON it prints. */
	private static JsonNode peer(TestRedis redis, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("ruby", "../interop/ruby/limits_peer.rb"));
		command.addAll(List.of(args));
		return ContractSupport.json(ruby(redis, command));
	}

	/** One job of the queue, run by a real Ruby worker; returns its report. */
	private static String rubyWorker(TestRedis redis, String queue) throws IOException, InterruptedException {
		return ruby(redis, List.of("ruby", "../interop/ruby/run_java_payload.rb", queue));
	}

	private static String ruby(TestRedis redis, List<String> command) throws IOException, InterruptedException {
		File errors = File.createTempFile("ruby", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors);
			builder.environment().put("REDIS_URL", "redis://" + redis.host() + ":" + redis.port() + "/0");
			builder.environment().put("RESQUE_LIB", RESQUE_LIB.toString());
			builder.environment().put("SKIP_PRUNE", "1");
			// Ruby's String#inspect escapes "é" under a non-UTF-8 locale.
			builder.environment().put("LC_ALL", "C.UTF-8");
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			String said = output + Files.readString(errors.toPath());
			assertThat(process.exitValue()).as(command + ": " + said).isZero();
			return output;
		}
		finally {
			Files.deleteIfExists(errors.toPath());
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String onlyKey(StatefulRedisConnection<String, String> raw, String pattern) {
		List<String> keys = raw.sync().keys(pattern);
		assertThat(keys).as(pattern).hasSize(1);
		return keys.get(0);
	}

	/** Jobs that record their start, wait for their gate, and record their end. */
	abstract static class Gated {

		final List<String> started = new CopyOnWriteArrayList<>();

		final List<String> finished = new CopyOnWriteArrayList<>();

		final CountDownLatch gate = new CountDownLatch(1);

		void pass(String id) throws InterruptedException {
			this.started.add(id);
			this.gate.await(30, TimeUnit.SECONDS);
			this.finished.add(id);
		}

	}

	/** A report job under a class limit of one, that waits for its gate. */
	static class Reports extends Gated {

		@ResqueJob("Limits::Report")
		@ResqueLimit(concurrency = 1)
		void report(String id, double weight, String note) throws InterruptedException {
			pass(id);
		}

	}

	/** An export job, for a queue limit, that waits for its gate. */
	static class Exports extends Gated {

		@ResqueJob("Limits::Export")
		void export(String id) throws InterruptedException {
			pass(id);
		}

	}

	/** Unique jobs: a reindex that waits for its gate, and a compaction. */
	static class Search extends Gated {

		@ResqueJob("Search::Reindex")
		@ResqueUnique
		void reindex(long account, String reason, boolean full, Map<String, Object> options)
				throws InterruptedException {
			pass(Long.toString(account));
		}

		@ResqueJob("Search::Compact")
		@ResqueUnique(ttl = "10m")
		void compact(long id, double ratio) {
			this.finished.add("compact " + id);
		}

	}

}
