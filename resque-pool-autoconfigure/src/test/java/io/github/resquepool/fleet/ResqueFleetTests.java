package io.github.resquepool.fleet;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Fleet control through Redis, with several pools in their own contexts and one process
 * without a pool (the web process of a Heroku app, say), all on one private embedded
 * Redis.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class ResqueFleetTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private EmbeddedRedisServer redis;

	@BeforeEach
	void startRedis() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
	}

	@AfterEach
	void stopRedis() {
		this.redis.stop();
	}

	@Test
	void everyLivePoolIsListedWithItsGroupsFromAProcessWithoutAPool() {
		pool("a").run((a) -> pool("b").run((b) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(2));
			FleetView.Pool first = fleet.view()
				.pools()
				.stream()
				.filter((p) -> p.id().equals(poolId(a)))
				.findFirst()
				.orElseThrow();
			assertThat(first.online()).isTrue();
			assertThat(first.state()).isEqualTo("running");
			assertThat(first.groups()).singleElement().satisfies((g) -> {
				assertThat(g.name()).isEqualTo("work");
				assertThat(g.queues()).isEqualTo("q");
				assertThat(g.count()).isEqualTo(2);
				assertThat(g.live()).isEqualTo(2);
				assertThat(g.overridden()).isFalse();
			});
		})));
	}

	@Test
	void aFleetPauseReachesEveryPoolIsAcknowledgedAndHoldsForAPoolStartedLater() {
		pool("a").run((a) -> pool("b").run((b) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(2));
			FleetResult result = fleet.pause(FleetScope.ALL, Duration.ofSeconds(10), "alice");
			assertThat(result.pools()).hasSize(2).allSatisfy((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(groupState(a)).isEqualTo(PoolStatus.State.PAUSED);
			assertThat(groupState(b)).isEqualTo(PoolStatus.State.PAUSED);
			assertThat(fleet.view().overrides()).singleElement().satisfies((o) -> {
				assertThat(o.kind()).isEqualTo(FleetOverride.Kind.PAUSE);
				assertThat(o.by()).isEqualTo("alice");
			});
			// A pool that was not running when the pause was sent (a deploy) starts
			// paused.
			pool("c").run((c) -> {
				assertThat(groupState(c)).isEqualTo(PoolStatus.State.PAUSED);
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(c.getBean(ResquePool.class).status().workers()).hasSize(2)
						.allSatisfy((w) -> assertThat(w.state()).isEqualTo(WorkerState.PAUSED)));
				push("later");
				// Nothing runs while c is alive for several poll intervals: it beat after
				// them.
				long pushed = redisMillis();
				await().atMost(WAIT).until(() -> beatMillis(c) > pushed + 500);
				assertThat(c.getBean(Jobs.class).runs).isEmpty();
				try (StatefulRedisConnection<String, String> client = client()) {
					assertThat(client.sync().llen("resque:queue:q")).isEqualTo(1L);
				}
				FleetResult resumed = fleet.resume(FleetScope.ALL, Duration.ofSeconds(10), null);
				assertThat(resumed.pools()).hasSize(3)
					.allSatisfy((ack) -> assertThat(ack.status()).isEqualTo("applied"));
				await().atMost(WAIT).untilAsserted(() -> assertThat(runs(a, b, c)).containsExactly("later"));
			});
		})));
	}

	@Test
	void aPauseWaitsForRunningJobsAndSaysSoUntilTheyFinish() {
		pool("a").run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			try (StatefulRedisConnection<String, String> client = client()) {
				client.sync().rpush("resque:queue:q", "{\"class\":\"Fleet::Slow\",\"args\":[\"s\",1500]}");
				client.sync().sadd("resque:queues", "q");
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(a.getBean(Jobs.class).started).contains("s"));
			FleetResult pending = fleet.pause(new FleetScope(null, "work"), Duration.ofMillis(200), null);
			assertThat(pending.pools()).singleElement().satisfies((ack) -> {
				assertThat(ack.status()).isEqualTo("pending");
				assertThat(ack.message()).isEqualTo("finishing 1 running jobs");
			});
			await().atMost(WAIT).untilAsserted(() -> assertThat(groupState(a)).isEqualTo(PoolStatus.State.PAUSED));
		}));
	}

	@Test
	void writesBeyondMaxWaitingWritesAreStoredAndAnswerWithoutWaiting() {
		pool("a").run((a) -> web("resque.pool.fleet.max-waiting-writes=1").run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			try (StatefulRedisConnection<String, String> client = client()) {
				client.sync().rpush("resque:queue:q", "{\"class\":\"Fleet::Slow\",\"args\":[\"s\",60000]}");
				client.sync().sadd("resque:queues", "q");
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(a.getBean(Jobs.class).started).contains("s"));
			CompletableFuture<FleetResult> first = CompletableFuture
				.supplyAsync(() -> fleet.pause(new FleetScope(null, "work"), Duration.ofSeconds(60), "first"));
			await().atMost(WAIT).until(() -> fleet.waitingWrites() == 1);
			FleetResult second = fleet.pause(FleetScope.ALL, Duration.ofSeconds(60), "second");
			assertThat(second.pools()).singleElement().satisfies((ack) -> {
				assertThat(ack.status()).isEqualTo("pending");
				assertThat(ack.message()).contains("not waited for", "resque.pool.fleet.max-waiting-writes=1");
			});
			assertThat(first).isNotDone();
			assertThat(fleet.view().overrides()).extracting(FleetOverride::by).containsExactly("first", "second");
		}));
	}

	@Test
	void theMostRecentWriteThatCoversAPoolWins() {
		pool("a").run((a) -> pool("b").run((b) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(2));
			FleetResult three = fleet.scale(new FleetScope(poolId(a), "work"), 3, null, null);
			assertThat(three.pools()).singleElement().satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(count(a)).isEqualTo(3);
			assertThat(count(b)).isEqualTo(2);
			assertThat(a.getBean(ResquePool.class).status().fleetOverrides()).singleElement()
				.satisfies((text) -> assertThat(text).startsWith("group 'work': scale to 3 by web at "));
			assertThat(b.getBean(ResquePool.class).status().fleetOverrides()).isEmpty();
			FleetResult one = fleet.scale(new FleetScope(null, "work"), 1, null, null);
			assertThat(one.pools()).hasSize(2).allSatisfy((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(count(a)).isEqualTo(1);
			assertThat(count(b)).isEqualTo(1);
			assertThat(fleet.view().pools()).allSatisfy((p) -> assertThat(p.groups().get(0).overridden()).isTrue());
			FleetResult reset = fleet.reset(FleetScope.ALL, null, null);
			assertThat(reset.pools()).hasSize(2).allSatisfy((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(count(a)).isEqualTo(2);
				assertThat(count(b)).isEqualTo(2);
			});
			assertThat(fleet.view().overrides()).isEmpty();
		})));
	}

	@Test
	void aCountAboveAPoolsMaxWorkersFailsThereWithTheReason() {
		pool("a", "resque.pool.max-workers=4")
			.run((a) -> pool("b", "resque.pool.max-workers=10").run((b) -> web().run((web) -> {
				ResqueFleet fleet = web.getBean(ResqueFleet.class);
				await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(2));
				FleetResult result = fleet.scale(new FleetScope(null, "work"), 9, null, null);
				assertThat(result.pools()).hasSize(2).anySatisfy((ack) -> {
					assertThat(ack.id()).isEqualTo(poolId(a));
					assertThat(ack.status()).isEqualTo("failed");
					assertThat(ack.message()).contains("max-workers=4");
				}).anySatisfy((ack) -> {
					assertThat(ack.id()).isEqualTo(poolId(b));
					assertThat(ack.status()).isEqualTo("applied");
				});
				assertThat(count(a)).isEqualTo(2);
				assertThat(count(b)).isEqualTo(9);
			})));
	}

	@Test
	void aCountAboveTheLargestMaxWorkersInScopeIsRefusedAndStoresNothing() {
		pool("a", "resque.pool.max-workers=4")
			.run((a) -> pool("b", "resque.pool.max-workers=10").run((b) -> web().run((web) -> {
				ResqueFleet fleet = web.getBean(ResqueFleet.class);
				await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(2));
				for (int count : new int[] { 11, Integer.MAX_VALUE, Integer.MAX_VALUE - 1 }) {
					assertThatIllegalArgumentException()
						.isThrownBy(() -> fleet.scale(new FleetScope(null, "work"), count, null, null))
						.withMessageContaining("max-workers 10");
				}
				assertThatIllegalArgumentException()
					.isThrownBy(() -> fleet.scale(new FleetScope(poolId(a), "work"), 5, null, null))
					.withMessageContaining("max-workers 4");
				assertThat(fleet.view().overrides()).isEmpty();
				assertThat(count(a)).isEqualTo(2);
				assertThat(count(b)).isEqualTo(2);
				// the largest count in scope is taken
				assertThat(fleet.scale(new FleetScope(poolId(b), "work"), 10, null, null).pools()).singleElement()
					.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
				assertThat(count(b)).isEqualTo(10);
			})));
	}

	@Test
	void aBadOverrideWrittenIntoRedisIsIgnoredAndReportedOnce(CapturedOutput output) {
		pool("a", "resque.pool.max-workers=4").run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			String[] counts = { "2147483648", "99999999999", "-3", "\"x\"", "1.5", "1e9", "2147483647" };
			try (StatefulRedisConnection<String, String> client = client()) {
				for (int i = 0; i < counts.length; i++) {
					client.sync()
						.hset("resque:resquepool:fleet:overrides", "scale:pool" + i + "|work",
								"{\"seq\":0,\"kind\":\"scale\",\"pool\":null,\"group\":\"work\",\"count\":" + counts[i]
										+ ",\"by\":\"mallory\",\"at\":\"2026-12-01T10:00:00Z\"}");
				}
				client.sync().hset("resque:resquepool:fleet:overrides", "junk", "{not json");
				client.sync().incr("resque:resquepool:fleet:version");
				client.sync().publish("resque:resquepool:fleet", "1");
			}
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output.getOut()).contains("Fleet override 'junk' in Redis is ignored"));
			// a valid write after them applies: the pool read the bad ones and kept going
			FleetResult three = fleet.scale(new FleetScope(null, "work"), 3, null, null);
			assertThat(three.pools()).singleElement().satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(count(a)).isEqualTo(3);
			fleet.pause(FleetScope.ALL, null, null);
			assertThat(groupState(a)).isEqualTo(PoolStatus.State.PAUSED);
			assertThat(output.getOut().split("Fleet command 0 \\(SCALE", -1)).as("a readable count above max-workers")
				.hasSize(2);
			for (int i = 0; i < counts.length - 1; i++) {
				assertThat(output.getOut().split("Fleet override 'scale:pool" + i + "\\|work' in Redis is ignored", -1))
					.as(counts[i])
					.hasSize(2);
			}
			assertThat(output.getOut().split("Fleet override 'junk' in Redis is ignored", -1)).hasSize(2);
		}));
	}

	@Test
	void badRequestsAreRefusedAndStoreNothing() {
		pool("a").run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			assertThatIllegalArgumentException().isThrownBy(() -> fleet.pause(new FleetScope(null, "nope"), null, null))
				.withMessageContaining("no group 'nope'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fleet.pause(new FleetScope("host:1:dead", null), null, null))
				.withMessageContaining("no live pool 'host:1:dead'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fleet.scale(new FleetScope(null, "work"), -1, null, null))
				.withMessageContaining("0 or more");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fleet.scale(new FleetScope(null, "work"), null, null, null))
				.withMessageContaining("needs a count");
			assertThat(fleet.view().overrides()).isEmpty();
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().exists("resque:resquepool:fleet:seq")).isEqualTo(0L);
			}
		}));
	}

	@Test
	void aResquePauseKeyPausesOneQueueWhileTheNextQueueStillFlows() {
		pool("a", "resque.pool.groups.work.queues=first,second").run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			fleet.pauseQueue("first", null);
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().exists("resque:pause:queue:first")).isEqualTo(1L);
				client.sync().sadd("resque:queues", "first", "second");
				client.sync().rpush("resque:queue:first", "{\"class\":\"Fleet::Run\",\"args\":[\"held\"]}");
				client.sync().rpush("resque:queue:second", "{\"class\":\"Fleet::Run\",\"args\":[\"flows\"]}");
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(a.getBean(Jobs.class).runs).containsExactly("flows"));
				assertThat(client.sync().llen("resque:queue:first")).isEqualTo(1L);
				assertThat(fleet.view().pausedQueues()).containsExactly("first");
				fleet.resumeQueue("first", null);
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(a.getBean(Jobs.class).runs).containsExactly("flows", "held"));
			}
		}));
	}

	@Test
	void aReloadKeepsARunTimeScaleAndAppliesAChangedCount() {
		pool("a").run((a) -> {
			ResquePool pool = a.getBean(ResquePool.class);
			pool.scale("work", 4);
			Map<String, Object> overrides = new HashMap<>();
			a.getEnvironment().getPropertySources().addFirst(new MapPropertySource("reload", overrides));
			assertThat(pool.reload().applied()).isTrue();
			assertThat(count(a)).as("an unchanged configuration keeps the run-time count").isEqualTo(4);
			overrides.put("resque.pool.groups.work.count", "1");
			assertThat(pool.reload().applied()).isTrue();
			assertThat(count(a)).as("a changed configured count applies").isEqualTo(1);
			pool.scale("work", 3);
			assertThat(pool.reload().applied()).isTrue();
			assertThat(count(a)).as("the count configured last is not applied twice").isEqualTo(3);
		});
	}

	private ApplicationContextRunner pool(String name, String... settings) {
		return base()
			.withPropertyValues("resque.pool.hostname=" + name, "resque.pool.groups.work.queues=q",
					"resque.pool.groups.work.count=2")
			.withPropertyValues(settings)
			.withBean(Jobs.class);
	}

	private ApplicationContextRunner web(String... settings) {
		return base().withPropertyValues("resque.pool.enabled=false", "resque.pool.hostname=web")
			.withPropertyValues(settings);
	}

	private ApplicationContextRunner base() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.poll-interval=100ms",
					"resque.pool.shutdown-timeout=1s", "resque.pool.recovery-timeout=6s");
	}

	private void push(String id) {
		try (StatefulRedisConnection<String, String> client = client()) {
			client.sync().sadd("resque:queues", "q");
			client.sync().rpush("resque:queue:q", "{\"class\":\"Fleet::Run\",\"args\":[\"" + id + "\"]}");
		}
	}

	private StatefulRedisConnection<String, String> client() {
		return RedisConnections.open(this.redis.host(), this.redis.port());
	}

	private static String poolId(AssertableApplicationContext context) {
		return context.getBean(ResquePool.class).status().poolId();
	}

	private long redisMillis() {
		try (StatefulRedisConnection<String, String> client = client()) {
			List<String> time = client.sync().time();
			return Long.parseLong(String.valueOf(time.get(0))) * 1000
					+ Long.parseLong(String.valueOf(time.get(1))) / 1000;
		}
	}

	private long beatMillis(AssertableApplicationContext context) {
		try (StatefulRedisConnection<String, String> client = client()) {
			Object score = client.sync().zscore("resque:resquepool:pools", poolId(context));
			return (score != null) ? (long) Double.parseDouble(String.valueOf(score)) : 0;
		}
	}

	private static PoolStatus.State groupState(AssertableApplicationContext context) {
		return context.getBean(ResquePool.class).status().groups().get(0).state();
	}

	private static int count(AssertableApplicationContext context) {
		return context.getBean(ResquePool.class).status().groups().get(0).count();
	}

	private static List<String> runs(AssertableApplicationContext... contexts) {
		List<String> all = new java.util.ArrayList<>();
		for (AssertableApplicationContext context : contexts) {
			all.addAll(context.getBean(Jobs.class).runs);
		}
		return all;
	}

	/** The jobs of the fleet tests. */
	static class Jobs {

		final Queue<String> runs = new ConcurrentLinkedQueue<>();

		final Queue<String> started = new ConcurrentLinkedQueue<>();

		@ResqueJob("Fleet::Run")
		void run(String id) {
			this.runs.add(id);
		}

		@ResqueJob("Fleet::Slow")
		void slow(String id, long millis) throws InterruptedException {
			this.started.add(id);
			Thread.sleep(millis);
			this.runs.add(id);
		}

	}

}
