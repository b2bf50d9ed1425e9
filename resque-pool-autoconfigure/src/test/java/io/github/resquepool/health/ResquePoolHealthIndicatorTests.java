package io.github.resquepool.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.health.ResquePoolHealthContributorAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResquePoolHealthIndicatorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResquePoolHealthContributorAutoConfiguration.class))
		.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=1s",
				"resque.pool.command-timeout=500ms")
		.withBean(HealthTestJobs.class);

	@Test
	void healthIsUpWithGroupDetailsWhenRedisAnswersAndWorkersRun() {
		this.runner.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.namespace=health-up", "resque.pool.groups.work.queues=health-up",
					"resque.pool.groups.work.count=2")
			.run((context) -> {
				ResquePoolHealthIndicator indicator = context.getBean(ResquePoolHealthIndicator.class);
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("paused", false).containsKeys("redis", "state", "groups");
				assertThat(group(health, "work")).containsEntry("live", 2).containsEntry("desired", 2);
			});
	}

	@Test
	void aPausedPoolIsUp() {
		this.runner.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.namespace=health-paused", "resque.pool.groups.work.queues=health-paused",
					"resque.pool.groups.work.count=1", "resque.pool.paused=true")
			.run((context) -> {
				Health health = context.getBean(ResquePoolHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("paused", true);
				assertThat(group(health, "work")).containsEntry("state", State.PAUSED);
			});
	}

	@Test
	void healthIsDownWithinSecondsOnceRedisIsUnreachableAndAlwaysAnswersFast() {
		// A server of its own, so that the test can stop and start it whatever backs the
		// shared one.
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, List.of())) {
			this.runner
				.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
				.withPropertyValues("resque.pool.namespace=health-down", "resque.pool.groups.work.queues=health-down",
						"resque.pool.groups.work.count=2")
				.run((context) -> {
					ResquePoolHealthIndicator indicator = context.getBean(ResquePoolHealthIndicator.class);
					assertThat(timedHealth(indicator).getStatus()).isEqualTo(Status.UP);
					redis.stop();
					await().atMost(Duration.ofSeconds(5))
						.pollInterval(Duration.ofMillis(50))
						.untilAsserted(() -> assertThat(timedHealth(indicator).getStatus()).isEqualTo(Status.DOWN));
					Health down = timedHealth(indicator);
					assertThat(down.getDetails().get("redis")).asInstanceOf(InstanceOfAssertFactories.MAP)
						.containsEntry("up", false)
						.containsKey("error");
					redis.restart();
					await().atMost(WAIT)
						.untilAsserted(() -> assertThat(timedHealth(indicator).getStatus()).isEqualTo(Status.UP));
				});
		}
	}

	@Test
	void aGroupWhoseOnlyWorkerKeepsCrashingIsDown() {
		this.runner.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.namespace=health-crash", "resque.pool.groups.crashy.queues=health-crash",
					"resque.pool.groups.crashy.count=1", "resque.pool.groups.steady.queues=health-steady",
					"resque.pool.groups.steady.count=1", "resque.pool.restart-backoff=5s",
					"resque.pool.max-restart-backoff=10s")
			.run((context) -> {
				ResquePoolHealthIndicator indicator = context.getBean(ResquePoolHealthIndicator.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
					for (int i = 0; i < 3; i++) {
						client.sync()
							.rpush("health-crash:queue:health-crash", "{\"class\":\"HealthTest::Crash\",\"args\":[]}");
					}
				}
				await().atMost(WAIT).untilAsserted(() -> {
					Health health = indicator.health();
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(health.getDetails()).containsEntry("crashLooping", List.of("crashy"));
					assertThat(group(health, "crashy")).containsEntry("live", 0).containsKey("backoff");
					assertThat(group(health, "steady")).containsEntry("live", 1);
				});
			});
	}

	private static Health timedHealth(ResquePoolHealthIndicator indicator) {
		long start = System.nanoTime();
		Health health = indicator.health();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		return health;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> group(Health health, String name) {
		return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("groups")).get(name);
	}

}
