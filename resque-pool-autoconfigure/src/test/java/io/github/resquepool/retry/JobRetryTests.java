package io.github.resquepool.retry;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.InvalidResqueJobException;
import io.github.resquepool.job.ResqueJob;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries with backoff: a failed attempt with retries left goes back through
 * resque-scheduler's delayed queue (its bucket relative to Redis time shows the backoff
 * and its jitter), counted in resque-retry's attempt key and as {@code resque.jobs}
 * outcome {@code retry}; only the last attempt is a failure entry, with its attempt
 * count.
 */
@ExtendWith(RedisExtension.class)
class JobRetryTests {

	private static final String SCHEDULE = "resque:delayed_queue_schedule";

	private static final String ALWAYS_FAILS = "{\"class\":\"Retry::AlwaysFails\",\"args\":[\"x\"]}";

	private static final String ALWAYS_FAILS_ITEM = "{\"class\":\"Retry::AlwaysFails\",\"args\":[\"x\"],\"queue\":\"retry\"}";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class,
				ResquePoolMetricsAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s",
				"resque.pool.groups.retry.queues=retry", "resque.scheduler.poll-interval=200ms",
				"resque.scheduler.lock-timeout=2s")
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(RetryJobs.class);

	@Test
	void failedAttemptsWaitInTheDelayedQueueWithGrowingJitteredBackoffAndOnlyTheLastIsAFailureEntry(TestRedis redis) {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String key = "resque:resque-retry:Retry::AlwaysFails:" + sha1("x");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				push(raw, ALWAYS_FAILS);
				// Attempt 1: back in 60 s, jitter 10 s either way, never below the 60 s
				// delay.
				long first = awaitBucket(raw);
				assertThat(first - now(raw)).isBetween(60L - 3, 70L);
				assertThat(list(raw, "resque:delayed:" + first)).containsExactly(ALWAYS_FAILS_ITEM);
				assertThat(raw.sync().smembers("resque:timestamps:" + ALWAYS_FAILS_ITEM))
					.containsExactly("delayed:" + first);
				assertThat(raw.sync().get(key)).isEqualTo("0");
				assertThat(list(raw, "resque:failed")).isEmpty();
				assertThat(raw.sync().get("resque:stat:failed")).isNull();
				eventually(() -> assertThat(count(registry, "retry")).isEqualTo(1.0));
				assertThat(count(registry, "failure")).isZero();
				// Attempt 2: back in 60 * 3 = 180 s, jitter 10 * 3 = 30 s either way.
				moveNow(raw, first, ALWAYS_FAILS_ITEM);
				long second = awaitBucket(raw);
				assertThat(second - now(raw)).isBetween(150L - 3, 210L);
				assertThat(raw.sync().get(key)).isEqualTo("1");
				eventually(() -> assertThat(count(registry, "retry")).isEqualTo(2.0));
				// Attempt 3 is the last: a failure entry that carries the attempt count.
				moveNow(raw, second, ALWAYS_FAILS_ITEM);
				eventually(() -> assertThat(list(raw, "resque:failed")).hasSize(1));
				JsonNode entry = JsonMapper.shared().readTree(list(raw, "resque:failed").get(0));
				assertThat(entry.get("attempts").asInt()).isEqualTo(3);
				assertThat(entry.get("payload").toString()).isEqualTo(ALWAYS_FAILS);
				assertThat(entry.get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
				assertThat(entry.get("queue").asString()).isEqualTo("retry");
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
				assertThat(raw.sync().exists(key)).isEqualTo(0L);
				assertThat(raw.sync().get("resque:stat:failed")).isEqualTo("1");
				eventually(() -> assertThat(count(registry, "failure")).isEqualTo(1.0));
				assertThat(count(registry, "retry")).isEqualTo(2.0);
				assertThat(context.getBean(RetryJobs.class).runs).containsExactly("AlwaysFails:x", "AlwaysFails:x",
						"AlwaysFails:x");
			}
		});
	}

	@Test
	void aRetryThatSucceedsIsMovedByTheSchedulerAndClearsItsAttemptCount(TestRedis redis) {
		this.runner.run((context) -> {
			RetryJobs jobs = context.getBean(RetryJobs.class);
			jobs.flakyFailures.set(1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				push(raw, "{\"class\":\"Retry::Flaky\",\"args\":[7,\"a\"]}");
				eventually(() -> assertThat(jobs.runs).containsExactly("Flaky:a", "Flaky:a"));
				eventually(() -> assertThat(count(registry, "success")).isEqualTo(1.0));
				assertThat(count(registry, "retry")).isEqualTo(1.0);
				assertThat(count(registry, "failure")).isZero();
				assertThat(raw.sync().exists("resque:resque-retry:Retry::Flaky:" + sha1("7-a"))).isEqualTo(0L);
				assertThat(list(raw, "resque:failed")).isEmpty();
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
			}
		});
	}

	@Test
	void argumentsThatDoNotBindAreAFailureAtOnceAndNotRetried(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				push(raw, "{\"class\":\"Retry::BadArguments\",\"args\":[\"not a number\"]}");
				eventually(() -> assertThat(list(raw, "resque:failed")).hasSize(1));
				assertThat(list(raw, "resque:failed").get(0)).doesNotContain("\"attempts\"");
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
			}
		});
	}

	@Test
	void aRetryDelayThatIsNoDurationFailsTheStart() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ResquePoolAutoConfiguration.class))
			.withPropertyValues("resque.pool.enabled=false")
			.withBean(BadRetryDelay.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(InvalidResqueJobException.class.getName())
				.hasStackTraceContaining("its retryDelay \"soon\" is not a duration"));
	}

	private static void push(StatefulRedisConnection<String, String> raw, String payload) {
		raw.sync().sadd("resque:queues", "retry");
		raw.sync().rpush("resque:queue:retry", payload);
	}

	/** What the scheduler does once the bucket is due, done now. */
	private static void moveNow(StatefulRedisConnection<String, String> raw, long bucket, String item) {
		raw.sync().del("resque:delayed:" + bucket, "resque:timestamps:" + item);
		raw.sync().zrem(SCHEDULE, Long.toString(bucket));
		JsonNode parsed = JsonMapper.shared().readTree(item);
		push(raw, "{\"class\":" + parsed.get("class") + ",\"args\":" + parsed.get("args") + "}");
	}

	@SuppressWarnings("unchecked")
	private static long awaitBucket(StatefulRedisConnection<String, String> raw) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> (raw.sync().zrange(SCHEDULE, 0, -1)).size() == 1);
		return Long.parseLong(raw.sync().zrange(SCHEDULE, 0, -1).get(0));
	}

	@SuppressWarnings("unchecked")
	private static long now(StatefulRedisConnection<String, String> raw) {
		return Long.parseLong(raw.sync().time().get(0));
	}

	@SuppressWarnings("unchecked")
	private static List<String> list(StatefulRedisConnection<String, String> raw, String key) {
		return raw.sync().lrange(key, 0, -1);
	}

	private static double count(MeterRegistry registry, String outcome) {
		Counter counter = registry.find("resque.jobs").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String sha1(String text) throws Exception {
		byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
			.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return java.util.HexFormat.of().formatHex(digest);
	}

	static class BadRetryDelay {

		@ResqueJob(value = "Retry::Bad", maxRetries = 1, retryDelay = "soon")
		void run() {
		}

	}

}
