package io.github.resquepool.fleet;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link ResqueFleet#acknowledgements}: read later, from another process, the
 * acknowledgements of a command give what its write gave, a refusal included.
 */
@Timeout(120)
class ResqueFleetAcknowledgementsTests {

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
	void aRefusedScaleReadsAsFailedWithThePoolsReasonAsItsWriteSaid() {
		// Within the pool's max-workers alone, so the fleet stores it, but the pool's
		// other group leaves no room for it.
		pool().withPropertyValues("resque.pool.groups.mail.queues=m", "resque.pool.groups.mail.count=2")
			.run((a) -> web().run((web) -> {
				ResqueFleet fleet = web.getBean(ResqueFleet.class);
				await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
				FleetScope scope = new FleetScope(null, "work");
				FleetResult result = fleet.scale(scope, 3, Duration.ofSeconds(10), "alice");
				assertThat(result.pools()).singleElement().satisfies((ack) -> {
					assertThat(ack.status()).isEqualTo("failed");
					assertThat(ack.message()).contains("max-workers=4");
				});
				assertThat(fleet.acknowledgements(scope, "scale", 3, result.seq(), result.version()))
					.isEqualTo(result.pools());
				// Another process, with a fleet control of its own, reads the same.
				web().run((other) -> assertThat(other.getBean(ResqueFleet.class)
					.acknowledgements(scope, "scale", 3, result.seq(), result.version())).isEqualTo(result.pools()));
			}));
	}

	@Test
	void aCommandNotWaitedForIsFollowedUntilItSettles() {
		pool().run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			FleetScope scope = new FleetScope(poolId(a), "work");
			FleetResult scaled = fleet.scale(scope, 3, Duration.ZERO, null);
			await().atMost(WAIT)
				.untilAsserted(
						() -> assertThat(fleet.acknowledgements(scope, "scale", 3, scaled.seq(), scaled.version()))
							.singleElement()
							.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied")));
			assertThat(a.getBean(ResquePool.class).status().groups().get(0).count()).isEqualTo(3);
			FleetResult paused = fleet.pause(FleetScope.ALL, Duration.ofSeconds(10), null);
			assertThat(paused.pools()).singleElement()
				.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(fleet.acknowledgements(FleetScope.ALL, "pause", null, paused.seq(), paused.version()))
				.isEqualTo(paused.pools());
			// Out of scope: no pool answers for a pool that is not there.
			assertThat(fleet.acknowledgements(new FleetScope("host:1:gone", null), "pause", null, paused.seq(),
					paused.version()))
				.isEmpty();
		}));
	}

	@Test
	void aResumeStaysAppliedAfterAResetDropsIt() {
		pool().run((a) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(fleet.view().pools()).hasSize(1));
			FleetResult resumed = fleet.resume(FleetScope.ALL, Duration.ofSeconds(10), null);
			assertThat(resumed.pools()).singleElement()
				.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			FleetResult reset = fleet.reset(FleetScope.ALL, Duration.ofSeconds(10), null);
			assertThat(reset.pools()).singleElement().satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			// The pool now reports no override applied (sequence number 0), yet it
			// applied the resume: the fleet's version says so.
			assertThat(fleet.view().pools()).singleElement().satisfies((p) -> assertThat(p.appliedSeq()).isZero());
			assertThat(fleet.acknowledgements(FleetScope.ALL, "resume", null, resumed.seq(), resumed.version()))
				.singleElement()
				.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			assertThat(fleet.acknowledgements(FleetScope.ALL, "reset", null, reset.seq(), reset.version()))
				.isEqualTo(reset.pools());
		}));
	}

	@Test
	void anActionWithoutAcknowledgementsOrAScaleWithoutCountIsRefused() {
		web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fleet.acknowledgements(FleetScope.ALL, "pause-queue", null, 1, 1))
				.withMessageContaining("'pause-queue' is not a fleet command");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fleet.acknowledgements(new FleetScope(null, "work"), "scale", null, 1, 1))
				.withMessageContaining("need its count");
		});
	}

	private ApplicationContextRunner pool() {
		return base().withPropertyValues("resque.pool.hostname=a", "resque.pool.groups.work.queues=q",
				"resque.pool.groups.work.count=2", "resque.pool.max-workers=4");
	}

	private ApplicationContextRunner web() {
		return base().withPropertyValues("resque.pool.enabled=false", "resque.pool.hostname=web");
	}

	private ApplicationContextRunner base() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.poll-interval=100ms",
					"resque.pool.shutdown-timeout=1s", "resque.pool.recovery-timeout=6s");
	}

	private static String poolId(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		return context.getBean(ResquePool.class).status().poolId();
	}

}
