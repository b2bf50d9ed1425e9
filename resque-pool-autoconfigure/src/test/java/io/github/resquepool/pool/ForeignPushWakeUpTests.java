package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs pushed by another client (a plain RPUSH, as Ruby, Rails or redis-cli do) into an
 * idle pool whose poll interval is a minute: they are picked up long before it, by the
 * blocking waiters of a static queue list, or by keyspace events for {@code *} when Redis
 * publishes them. Each test runs on a private Redis, so that its settings touch no other
 * test.
 */
@Timeout(60)
class ForeignPushWakeUpTests {

	private static final Duration LONG_BEFORE_THE_POLL = Duration.ofSeconds(10);

	private EmbeddedRedisServer redis;

	@AfterEach
	void stop() {
		this.redis.stop();
	}

	@Test
	void aStaticQueueListWakesOnAForeignPushThroughItsBlockingWaiters() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		runner("resque.pool.groups.work.queues=high,low", "resque.pool.groups.work.count=3").run((context) -> {
			TestJobs jobs = context.getBean(TestJobs.class);
			try (StatefulRedisConnection<String, String> client = client()) {
				PoolTestSupport.awaitBlockingWaiters(client, 2);
				push(client, "low", "Test::Record", "\"first\"");
				eventually(LONG_BEFORE_THE_POLL, () -> assertThat(jobs.runs).containsExactly("Record:first"));
				PoolTestSupport.awaitBlockingWaiters(client, 2);
				push(client, "high", "Test::Record", "\"second\"");
				eventually(LONG_BEFORE_THE_POLL,
						() -> assertThat(jobs.runs).containsExactly("Record:first", "Record:second"));
			}
		});
	}

	@Test
	void aStarGroupWakesOnAForeignPushThroughKeyspaceEventsWhenRedisPublishesThem() {
		this.redis = EmbeddedRedisServer.start(0, List.of("--notify-keyspace-events", "El"));
		runner("resque.pool.groups.work.queues=*", "resque.pool.groups.work.count=2").run((context) -> {
			TestJobs jobs = context.getBean(TestJobs.class);
			try (StatefulRedisConnection<String, String> client = client()) {
				PoolTestSupport.awaitKeyspaceSubscription(client);
				push(client, "brand_new", "Test::Record", "\"star\"");
				eventually(LONG_BEFORE_THE_POLL, () -> assertThat(jobs.runs).containsExactly("Record:star"));
			}
		});
	}

	@Test
	void thePoolSwitchesKeyspaceEventsOnWhenAllowedTo() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		runner("resque.pool.groups.work.queues=*", "resque.pool.configure-keyspace-events=true").run((context) -> {
			TestJobs jobs = context.getBean(TestJobs.class);
			try (StatefulRedisConnection<String, String> client = client()) {
				eventually(LONG_BEFORE_THE_POLL,
						() -> assertThat(
								client.sync().configGet("notify-keyspace-events").get("notify-keyspace-events"))
							.contains("E")
							.contains("l"));
				PoolTestSupport.awaitKeyspaceSubscription(client);
				push(client, "anything", "Test::Record", "\"switched\"");
				eventually(LONG_BEFORE_THE_POLL, () -> assertThat(jobs.runs).containsExactly("Record:switched"));
			}
		});
	}

	@Test
	void aRedisThatRefusesConfigStillRunsThePoolAndItsBlockingWaiters() {
		this.redis = EmbeddedRedisServer.start(0, List.of("--rename-command", "CONFIG", "\"\""));
		runner("resque.pool.groups.work.queues=q", "resque.pool.groups.star.queues=*",
				"resque.pool.configure-keyspace-events=true")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = client()) {
					PoolTestSupport.awaitBlockingWaiters(client, 1);
					push(client, "q", "Test::Record", "\"managed\"");
					eventually(LONG_BEFORE_THE_POLL, () -> assertThat(jobs.runs).contains("Record:managed"));
				}
			});
	}

	@Test
	void aJobOnAQueuePausedWithResquePausesKeyNeverMakesTheWaitersSpin() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		runner("resque.pool.groups.work.queues=held", "resque.pool.groups.work.count=2", "resque.pool.poll-interval=1s")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = client()) {
					client.sync().set("resque:pause:queue:held", "true");
					push(client, "held", "Test::Record", "\"waits\"");
					Thread.sleep(500);
					client.sync().configResetstat();
					Thread.sleep(3000);
					String stats = client.sync().info("commandstats");
					long blmoves = calls(stats, "blmove");
					long evalshas = calls(stats, "evalsha");
					// A spin would be thousands of calls in 3 s; backing off to the poll
					// interval is a few.
					assertThat(blmoves).as(stats).isLessThan(50);
					assertThat(evalshas).as(stats).isLessThan(50);
					assertThat(jobs.runs).isEmpty();
					client.sync().del("resque:pause:queue:held");
					eventually(LONG_BEFORE_THE_POLL, () -> assertThat(jobs.runs).containsExactly("Record:waits"));
				}
			});
	}

	private static long calls(String commandStats, String command) {
		for (String line : commandStats.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

	private ApplicationContextRunner runner(String... settings) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.poll-interval=1m",
					"resque.pool.shutdown-timeout=1s")
			.withPropertyValues(settings)
			.withBean(TestJobs.class);
	}

	private StatefulRedisConnection<String, String> client() {
		return RedisConnections.open(this.redis.host(), this.redis.port());
	}

}
