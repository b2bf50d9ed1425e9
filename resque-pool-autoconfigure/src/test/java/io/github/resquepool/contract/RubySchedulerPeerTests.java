package io.github.resquepool.contract;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.scheduler.ResqueScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real resque-scheduler gem (5.0, run from its {@code lib/} through
 * {@code interop/ruby/scheduler_peer.rb}) as the pool's peer on one private Redis: it
 * moves what {@link ResqueClient#enqueueAt} wrote, the pool moves what
 * {@code Resque.enqueue_at} wrote, and across a lock hand-over in either direction (kill
 * -9 of the Ruby master, a graceful stop of the Java one) every item reaches its queue
 * exactly once.
 * <p>
 * Runs only where Ruby and the gem sources are ({@code RESQUE_LIB} and
 * {@code RESQUE_SCHEDULER_LIB}, or {@code /tmp/gems/{resque,resque-scheduler}/lib}).
 */
@EnabledIf("rubyAvailable")
@Timeout(180)
class RubySchedulerPeerTests {

	private static final String LOCK = "resque:resque:resque_scheduler_master_lock";

	private static final String SCHEDULE = "resque:delayed_queue_schedule";

	private static final Path SCRIPT = Path.of("..", "interop", "ruby", "scheduler_peer.rb");

	private static final Path LOG_DIR = Path.of("target", "ruby-peer");

	private final List<Process> ruby = new ArrayList<>();

	private TestRedis redis;

	static boolean rubyAvailable() {
		return lib("RESQUE_LIB", "resque") != null && lib("RESQUE_SCHEDULER_LIB", "resque-scheduler") != null
				&& Files.isExecutable(Path.of("/usr/bin/ruby"));
	}

	private static String lib(String variable, String gem) {
		String configured = System.getenv(variable);
		Path dir = Path.of((configured != null) ? configured : "/tmp/gems/" + gem + "/lib");
		return Files.isRegularFile(dir.resolve(gem + ".rb")) ? dir.toAbsolutePath().toString() : null;
	}

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		this.ruby.forEach(Process::destroyForcibly);
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void theRubySchedulerMovesWhatJavaEnqueuedAtAsRubyWouldHaveWrittenIt() throws Exception {
		runner().withPropertyValues("resque.scheduler.enabled=false").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = this.redis.connect()) {
				Instant at = Instant.ofEpochSecond(now(raw) + 2);
				for (int i = 0; i < 20; i++) {
					client.enqueueAt("fromjava", at, "Peer::Job", i, "é/x", 1.0E-5, Map.of("n", i));
				}
				// Ruby's own encoder finds the item through timestamps: (so
				// remove_delayed works).
				String seen = rubyOutput("delayed?", "fromjava", "Peer::Job", "[3,\"é/x\",1.0e-05,{\"n\":3}]");
				assertThat(seen).contains("\"timestamps\":[\"delayed:" + at.getEpochSecond() + "\"]");
				Process scheduler = rubyScheduler("ruby-moves-java");
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> raw.sync().llen("resque:queue:fromjava") == 20);
				List<String> expected = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					expected.add("{\"class\":\"Peer::Job\",\"args\":[" + i + ",\"é/x\",1.0e-05,{\"n\":" + i + "}]}");
				}
				assertThat(lrange(raw, "resque:queue:fromjava")).isEqualTo(expected);
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
				scheduler.destroy();
				assertThat(scheduler.waitFor(20, TimeUnit.SECONDS)).isTrue();
				assertThat(raw.sync().exists(LOCK)).isEqualTo(0L);
			}
		});
	}

	@Test
	void thePoolMovesWhatRubyEnqueuedAtByteForByte() throws Exception {
		List<String> expected = new ArrayList<>();
		for (String line : rubyOutput("enqueue_at", "fromruby", "5", "20").split("\n")) {
			expected.add(JsonMapper.shared().readTree(line).get("job").asString());
		}
		assertThat(expected).hasSize(20);
		runner().run((context) -> {
			try (StatefulRedisConnection<String, String> raw = this.redis.connect()) {
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> raw.sync().llen("resque:queue:fromruby") == 20);
				assertThat(lrange(raw, "resque:queue:fromruby")).isEqualTo(expected);
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
			}
		});
	}

	@Test
	void aRubyAndAJavaSchedulerHandTheLockOverBothWaysAndEveryItemMovesOnce() throws Exception {
		try (StatefulRedisConnection<String, String> raw = this.redis.connect()) {
			Process first = rubyScheduler("race-ruby-first");
			String rubyValue = ":" + first.pid();
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> String.valueOf(raw.sync().get(LOCK)).endsWith(rubyValue));
			runner().run((context) -> {
				ResqueScheduler java = context.getBean(ResqueScheduler.class);
				ResqueClient client = context.getBean(ResqueClient.class);
				long now = now(raw);
				int buckets = 12;
				int perBucket = 20;
				for (int b = 0; b < buckets; b++) {
					for (int i = 0; i < perBucket; i++) {
						client.enqueueAt("race", Instant.ofEpochSecond(now + 1 + b), "Peer::Job", b, i);
					}
				}
				await().atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> raw.sync().llen("resque:queue:race") >= 2 * perBucket);
				assertThat(java.isMaster()).isFalse();
				first.destroyForcibly();
				assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
				assertThat(raw.sync().llen("resque:queue:race")).isLessThan(buckets * perBucket);
				await().atMost(Duration.ofSeconds(5 + 3)).pollInterval(Duration.ofMillis(20)).until(java::isMaster);
				await().atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> raw.sync().zcard(SCHEDULE) == 0
							&& raw.sync().llen("resque:queue:race") >= buckets * perBucket);
				List<String> moved = lrange(raw, "resque:queue:race");
				assertThat(moved).hasSize(buckets * perBucket);
				assertThat(new HashSet<>(moved)).hasSize(buckets * perBucket);
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
				// A Ruby scheduler started now stays passive while Java holds the lock...
				Process second = rubyScheduler("race-ruby-second");
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> log("race-ruby-second").contains("Child scheduler"));
				assertThat(raw.sync().get(LOCK)).isEqualTo(java.lockValue());
				this.ruby.add(second);
			});
			// ...and takes over once the pool stops gracefully and releases it.
			Process second = this.ruby.get(this.ruby.size() - 1);
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> String.valueOf(raw.sync().get(LOCK)).endsWith(":" + second.pid()));
			rubyOutput("enqueue_at", "after", "1", "5");
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> raw.sync().llen("resque:queue:after") == 5);
		}
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class))
			.withPropertyValues(this.redis.springPropertyValues())
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s",
					"resque.pool.groups.idle.queues=nothing-is-sent-here", "resque.scheduler.poll-interval=500ms",
					"resque.scheduler.lock-timeout=5s");
	}

	private Process rubyScheduler(String name) throws IOException {
		Path cli = Path.of(lib("RESQUE_SCHEDULER_LIB", "resque-scheduler"))
			.resolveSibling("exe")
			.resolve("resque-scheduler");
		if (!Files.isRegularFile(cli)) {
			throw new IllegalStateException("The real resque-scheduler CLI is missing: " + cli
					+ " must sit next to the gem's lib/ (fetch the gem's exe/ too, see interop/README.md)");
		}
		Files.createDirectories(LOG_DIR);
		ProcessBuilder builder = ruby("scheduler").redirectErrorStream(true)
			.redirectOutput(LOG_DIR.resolve(name + ".log").toFile());
		builder.environment().put("LOCK_TIMEOUT", "5");
		builder.environment().put("RESQUE_SCHEDULER_INTERVAL", "0.5");
		Process process = builder.start();
		this.ruby.add(process);
		return process;
	}

	private static String log(String name) throws IOException {
		return Files.readString(LOG_DIR.resolve(name + ".log"), StandardCharsets.UTF_8);
	}

	private String rubyOutput(String... args) throws Exception {
		Process process = ruby(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

	private ProcessBuilder ruby(String... args) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/ruby", SCRIPT.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> env = new LinkedHashMap<>();
		env.put("RESQUE_LIB", lib("RESQUE_LIB", "resque"));
		env.put("RESQUE_SCHEDULER_LIB", lib("RESQUE_SCHEDULER_LIB", "resque-scheduler"));
		env.put("REDIS_URL", "redis://" + this.redis.host() + ":" + this.redis.port() + "/0");
		builder.environment().putAll(env);
		builder.directory(new File("."));
		return builder;
	}

	private static List<String> lrange(StatefulRedisConnection<String, String> raw, String key) {
		return raw.sync().lrange(key, 0, -1);
	}

	private static long now(StatefulRedisConnection<String, String> raw) {
		return Long.parseLong(raw.sync().time().get(0));
	}

}
