package io.github.resquepool.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.actuate.endpoint.ResqueFleetEndpoint;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fleet-wide limits with three pools of 8 workers on one real Redis, in one JVM so that
 * the jobs' own marks see every run of the fleet at once.
 */
@Timeout(90)
class FleetLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private EmbeddedRedisServer redis;

	@BeforeEach
	void start() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		LimitJobs.reset();
	}

	@AfterEach
	void stop() {
		this.redis.stop();
	}

	@Test
	void aClassLimitAndAPerKeyLimitHoldAcrossThreePoolsAndEveryJobRunsOnce() {
		List<String> ids = new ArrayList<>();
		try (StatefulRedisConnection<String, String> client = client()) {
			client.sync().sadd("resque:queues", "q");
			for (int i = 0; i < 300; i++) {
				String id = "c" + i;
				ids.add(id);
				client.sync()
					.rpush("resque:queue:q",
							"{\"class\":\"Limits::Charge\",\"args\":[\"account-" + (i % 10) + "\",\"" + id + "\"]}");
			}
		}
		pool("a").run((a) -> pool("b").run((b) -> pool("c").run((c) -> {
			await().atMost(WAIT).until(() -> LimitJobs.CHARGES.ran.size() >= 300);
			try (StatefulRedisConnection<String, String> client = client()) {
				await().atMost(WAIT).until(() -> client.sync().get("resque:stat:processed"), "300"::equals);
				assertThat(client.sync().llen("resque:failed")).isZero();
				assertThat(client.sync().llen("resque:queue:q")).isZero();
				// Every slot came back, and nothing waits.
				assertThat(client.sync().keys("resque:resquepool:limit:*:held")).isEmpty();
				assertThat(client.sync().keys("resque:resquepool:limit:*:waiting")).isEmpty();
				assertThat(client.sync().keys("resque:resquepool:limit-holds:*")).isEmpty();
			}
		})));
		assertThat(LimitJobs.CHARGES.ran).containsExactlyInAnyOrderElementsOf(ids);
		// The limits bound: 24 workers were there to run more at once.
		assertThat(LimitJobs.CHARGES.mostRunning).hasValueBetween(2, 3);
		assertThat(LimitJobs.CHARGES.mostRunningPerKey).hasValue(1);
	}

	@Test
	void withoutLimitsTheSameWorkersRunManyJobsAtOnce() {
		// Proves that the bound above comes from the limits: the same pools run more.
		try (StatefulRedisConnection<String, String> client = client()) {
			client.sync().sadd("resque:queues", "q");
			for (int i = 0; i < 300; i++) {
				client.sync().rpush("resque:queue:q", "{\"class\":\"Limits::Free\",\"args\":[\"f" + i + "\"]}");
			}
		}
		pool("a").run((a) -> pool("b")
			.run((b) -> pool("c").run((c) -> await().atMost(WAIT).until(() -> LimitJobs.FREE.ran.size() >= 300))));
		assertThat(LimitJobs.FREE.mostRunning.get()).isGreaterThan(3);
	}

	@Test
	void aRateLimitSpreadsTheStartsOverWindows() {
		try (StatefulRedisConnection<String, String> client = client()) {
			client.sync().sadd("resque:queues", "q");
			for (int i = 0; i < 200; i++) {
				client.sync().rpush("resque:queue:q", "{\"class\":\"Limits::Call\",\"args\":[\"r" + i + "\"]}");
			}
		}
		long began = System.currentTimeMillis();
		pool("a").run((a) -> pool("b")
			.run((b) -> pool("c").run((c) -> await().atMost(WAIT).until(() -> LimitJobs.CALLS.ran.size() >= 200))));
		long took = System.currentTimeMillis() - began;
		List<Long> starts = LimitJobs.CALLS.starts().stream().sorted().toList();
		assertThat(starts).hasSize(200);
		int most = 0;
		for (int i = 0, j = 0; i < starts.size(); i++) {
			while (starts.get(i) - starts.get(j) >= 1000) {
				j++;
			}
			most = Math.max(most, i - j + 1);
		}
		assertThat(most).as("starts in the busiest second").isLessThanOrEqualTo(40);
		assertThat(took).as("200 starts at 20 per second").isGreaterThanOrEqualTo(8_000);
		assertThat(LimitJobs.CALLS.ran).doesNotHaveDuplicates();
	}

	@Test
	void aQueueLimitSetAtRunTimeBindsAtOnceLetsTheOtherQueuesFlowAndAResetLiftsIt() {
		pool("a", "exports,other")
			.run((a) -> pool("b", "exports,other").run((b) -> pool("c", "exports,other").run((c) -> {
				ResqueFleetEndpoint endpoint = new ResqueFleetEndpoint(a.getBean(ResqueFleet.class));
				FleetResult set = endpoint.perform("limit", null, null, "exports", null, null, null, 2, null, null,
						null, "ops");
				assertThat(set.action()).isEqualTo("limit");
				try (StatefulRedisConnection<String, String> client = client()) {
					push(client, "exports", "Limits::Export", "e", 60);
					push(client, "other", "Limits::Free", "o", 60);
					await().atMost(WAIT).until(() -> LimitJobs.FREE.ran.size() >= 60);
					// The other queue, behind exports in every worker's list, did not
					// wait
					// for it.
					assertThat(LimitJobs.EXPORTS.ran.size()).isLessThan(60);
					FleetView.Limit limit = a.getBean(ResqueFleet.class)
						.view()
						.limits()
						.stream()
						.filter((l) -> "exports".equals(l.queue()))
						.findFirst()
						.orElseThrow();
					assertThat(limit.concurrency()).isEqualTo(2);
					assertThat(limit.source()).isEqualTo("override");
					assertThat(limit.held()).isBetween(0L, 2L);
					assertThat(limit.setBy()).contains("\"by\":\"ops\"");
					await().atMost(WAIT).until(() -> LimitJobs.EXPORTS.ran.size() >= 60);
					assertThat(LimitJobs.EXPORTS.mostRunning).hasValue(2);
					endpoint.perform("reset", null, null, "exports", null, null, null, null, null, null, null, "ops");
					assertThat(a.getBean(ResqueFleet.class).view().limits()).noneMatch((l) -> l.queue() != null);
					// Class limits of the handlers are listed although no job of theirs
					// runs.
					assertThat(a.getBean(ResqueFleet.class).view().limits()).anySatisfy((l) -> {
						assertThat(l.className()).isEqualTo("Limits::Charge");
						assertThat(l.concurrency()).isEqualTo(3);
						assertThat(l.held()).isZero();
						assertThat(l.source()).isEqualTo("annotation");
					});
					LimitJobs.EXPORTS.reset();
					push(client, "exports", "Limits::Export", "f", 60);
					await().atMost(WAIT).until(() -> LimitJobs.EXPORTS.ran.size() >= 60);
					assertThat(LimitJobs.EXPORTS.mostRunning.get()).isGreaterThan(2);
					assertThat(client.sync().keys("resque:resquepool:limit-holds:*")).isEmpty();
				}
			})));
	}

	@Test
	void aConfiguredQueueLimitHoldsAcrossPoolsAndZeroHoldsTheQueue() {
		pool("a", "exports,other", "resque.pool.queue-limits.exports=1")
			.run((a) -> pool("b", "exports,other", "resque.pool.queue-limits.exports=1").run((b) -> {
				try (StatefulRedisConnection<String, String> client = client()) {
					push(client, "exports", "Limits::Export", "e", 20);
					await().atMost(WAIT).until(() -> LimitJobs.EXPORTS.ran.size() >= 20);
					assertThat(LimitJobs.EXPORTS.mostRunning).hasValue(1);
					assertThat(a.getBean(ResqueFleet.class).view().limits()).filteredOn((l) -> l.queue() != null)
						.singleElement()
						.satisfies((limit) -> assertThat(limit.source()).isEqualTo("configuration"));
					new ResqueFleetEndpoint(a.getBean(ResqueFleet.class)).perform("limit", null, null, "exports", null,
							null, null, 0, null, null, null, "ops");
					push(client, "exports", "Limits::Export", "held", 5);
					push(client, "other", "Limits::Free", "o", 5);
					await().atMost(WAIT).until(() -> LimitJobs.FREE.ran.size() >= 5);
					assertThat(client.sync().llen("resque:queue:exports")).isEqualTo(5);
					new ResqueFleetEndpoint(a.getBean(ResqueFleet.class)).perform("reset", null, null, "exports", null,
							null, null, null, null, null, null, "ops");
					await().atMost(WAIT).until(() -> LimitJobs.EXPORTS.ran.size() >= 25);
				}
			}));
	}

	private static void push(StatefulRedisConnection<String, String> client, String queue, String className,
			String prefix, int count) {
		client.sync().sadd("resque:queues", queue);
		for (int i = 0; i < count; i++) {
			client.sync()
				.rpush("resque:queue:" + queue, "{\"class\":\"" + className + "\",\"args\":[\"" + prefix + i + "\"]}");
		}
	}

	private ApplicationContextRunner pool(String host, String queues, String... settings) {
		return pool(host).withPropertyValues("resque.pool.groups.work.queues=" + queues).withPropertyValues(settings);
	}

	private ApplicationContextRunner pool(String host) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.hostname=" + host,
					"resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s",
					"resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=8")
			.withBean(LimitJobs.class);
	}

	private StatefulRedisConnection<String, String> client() {
		return RedisConnections.open(this.redis.host(), this.redis.port());
	}

}
