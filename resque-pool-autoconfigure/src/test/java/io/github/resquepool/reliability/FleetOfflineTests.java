package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool killed with kill -9, seen from a process without a pool: the fleet reports it
 * offline (a command for it is stored, and answered {@code offline}), then drops it from
 * the list once {@code recovery-timeout} has passed.
 */
@Timeout(90)
class FleetOfflineTests {

	private EmbeddedRedisServer redis;

	private ChildPool child;

	@AfterEach
	void stop() {
		if (this.child != null) {
			this.child.close();
		}
		if (this.redis != null) {
			this.redis.stop();
		}
	}

	@Test
	void aKilledPoolIsReportedOfflineThenLeavesTheList() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		this.child = ChildPool.start("fleet-offline", this.redis.host(), this.redis.port(),
				Rel.poolSettings("resque.pool.groups.g.count=1", "resque.pool.recovery-timeout=6s"));
		this.child.awaitReady(Duration.ofSeconds(40));
		String poolId = this.child.poolId();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.enabled=false",
					"resque.pool.recovery-timeout=6s")
			.run((context) -> {
				ResqueFleet fleet = context.getBean(ResqueFleet.class);
				Rel.await(Duration.ofSeconds(10), () -> online(fleet, poolId), () -> "the child pool online");
				this.child.kill();
				Rel.await(Duration.ofSeconds(20), () -> listed(fleet, poolId) && !online(fleet, poolId),
						() -> "the killed pool listed as offline: " + fleet.view().pools());
				FleetResult result = fleet.pause(new FleetScope(null, "g"), Duration.ofSeconds(1), "ops");
				assertThat(result.pools()).singleElement().satisfies((ack) -> {
					assertThat(ack.id()).isEqualTo(poolId);
					assertThat(ack.status()).isEqualTo("offline");
				});
				assertThat(fleet.view().overrides()).as("stored for when it comes back").hasSize(1);
				Rel.await(Duration.ofSeconds(20), () -> !listed(fleet, poolId),
						() -> "the dead pool leaves the list: " + fleet.view().pools());
			});
	}

	private static boolean listed(ResqueFleet fleet, String poolId) {
		return fleet.view().pools().stream().anyMatch((p) -> p.id().equals(poolId));
	}

	private static boolean online(ResqueFleet fleet, String poolId) {
		return fleet.view().pools().stream().filter((p) -> p.id().equals(poolId)).anyMatch(FleetView.Pool::online);
	}

}
