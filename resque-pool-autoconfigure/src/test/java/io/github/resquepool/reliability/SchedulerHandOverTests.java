package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.actuate.endpoint.ResquePoolDescriptor.SchedulerDescriptor;
import io.github.resquepool.actuate.endpoint.ResquePoolEndpoint;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.autoconfigure.endpoint.ResquePoolEndpointAutoConfiguration;
import io.github.resquepool.autoconfigure.health.ResquePoolHealthContributorAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.scheduler.ResqueScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a child JVM that holds resque-scheduler's master lock: a second pool,
 * passive (and healthy) while the lock is held, takes the lock over once its TTL
 * ({@code lock-timeout}, 5 s here) runs out, and moves the rest of the delayed items;
 * every item reaches its queue exactly once across the hand-over.
 */
@Timeout(120)
class SchedulerHandOverTests {

	private static final String LOCK = "resque:resque:resque_scheduler_master_lock";

	private static final String SCHEDULE = "resque:delayed_queue_schedule";

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

	private static final String[] SCHEDULER = { "resque.scheduler.lock-timeout=5s",
			"resque.scheduler.poll-interval=500ms", "resque.pool.groups.idle.queues=nothing-is-sent-here",
			"resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=1s" };

	private final List<ChildPool> children = new ArrayList<>();

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		this.children.forEach(ChildPool::close);
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aSecondPoolTakesTheLockOverWithinTheLockTimeoutAfterKill9AndEveryItemMovesExactlyOnce() {
		ChildPool first = ChildPool.start("sched-first", this.redis, SCHEDULER).awaitReady(Duration.ofSeconds(60));
		this.children.add(first);
		try (StatefulRedisConnection<String, String> raw = this.redis.connect()) {
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> String.valueOf(raw.sync().get(LOCK)).endsWith(":" + first.pid()));
			runner().run((context) -> {
				ResqueScheduler second = context.getBean(ResqueScheduler.class);
				ResquePoolEndpoint endpoint = context.getBean(ResquePoolEndpoint.class);
				HealthIndicator health = context.getBean("resquePoolHealthIndicator", HealthIndicator.class);
				// Passive and healthy while the child holds the lock; the endpoint names
				// the holder.
				await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
					SchedulerDescriptor view = endpoint.pool().scheduler();
					assertThat(view).isNotNull();
					assertThat(view.master()).isFalse();
					assertThat(view.lockHolder()).endsWith(":" + first.pid());
					assertThat(view.delayedItems()).isZero();
				});
				assertThat(second.isMaster()).isFalse();
				assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
				// Items due over the next seconds: some before the kill, the others after
				// it.
				long now = now(raw);
				int buckets = 12;
				int perBucket = 20;
				for (int b = 0; b < buckets; b++) {
					for (int i = 0; i < perBucket; i++) {
						delayedPush(raw, now + 1 + b,
								"{\"class\":\"H\",\"args\":[" + b + "," + i + "],\"queue\":\"handover\"}");
					}
				}
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> raw.sync().llen("resque:queue:handover") >= 2 * perBucket);
				assertThat(raw.sync().ttl(LOCK)).isBetween(1L, LOCK_TIMEOUT.toSeconds());
				first.kill();
				long movedByFirst = raw.sync().llen("resque:queue:handover");
				assertThat(movedByFirst).isLessThan(buckets * perBucket);
				// The lock's TTL runs out, then the second pool's next lock check takes
				// it.
				await().atMost(LOCK_TIMEOUT.plusSeconds(3)).pollInterval(Duration.ofMillis(20)).until(second::isMaster);
				assertThat(raw.sync().get(LOCK)).isEqualTo(second.lockValue());
				await().atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> raw.sync().zcard(SCHEDULE) == 0
							&& raw.sync().llen("resque:queue:handover") >= buckets * perBucket);
				List<String> moved = lrange(raw, "resque:queue:handover");
				Set<String> unique = new HashSet<>(moved);
				assertThat(moved).hasSize(buckets * perBucket);
				assertThat(unique).hasSize(buckets * perBucket);
				assertThat(raw.sync().keys("resque:delayed:*")).isEmpty();
				assertThat(raw.sync().keys("resque:timestamps:*")).isEmpty();
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
					SchedulerDescriptor view = endpoint.pool().scheduler();
					assertThat(view.master()).isTrue();
					assertThat(view.lockHolder()).isEqualTo(second.lockValue());
				});
				assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
			});
		}
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class,
					ResquePoolHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class, ResquePoolEndpointAutoConfiguration.class))
			.withInitializer(
					(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withPropertyValues(this.redis.springPropertyValues())
			.withPropertyValues("management.endpoints.web.exposure.include=resquepool")
			.withPropertyValues(SCHEDULER);
	}

	/** Ruby's {@code delayed_push}: RPUSH, SADD, ZADD. */
	private static void delayedPush(StatefulRedisConnection<String, String> raw, long bucket, String item) {
		raw.sync().rpush("resque:delayed:" + bucket, item);
		raw.sync().sadd("resque:timestamps:" + item, "delayed:" + bucket);
		raw.sync().zadd(SCHEDULE, bucket, Long.toString(bucket));
	}

	private static List<String> lrange(StatefulRedisConnection<String, String> raw, String key) {
		return raw.sync().lrange(key, 0, -1);
	}

	private static long now(StatefulRedisConnection<String, String> raw) {
		return Long.parseLong(raw.sync().time().get(0));
	}

}
