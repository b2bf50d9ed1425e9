package io.github.resquepool.health;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.actuate.endpoint.ActuatorHttp;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code resquePool} contributor in Boot's health groups: left out of liveness, part
 * of readiness and of the default group.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.namespace=health-groups", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=2s", "resque.pool.groups.work.queues=health-groups",
				"resque.pool.groups.work.count=1", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.liveness.include=livenessState",
				"management.endpoint.health.group.readiness.include=readinessState,resquePool",
				"management.endpoint.health.show-details=always" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResquePoolHealthGroupsWebTests {

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
	}

	@Test
	void theDefaultGroupShowsResquePoolWithDetails() {
		JsonNode health = new ActuatorHttp(this.port).get("/actuator/health").json();
		JsonNode pool = health.get("components").get("resquePool");
		assertThat(pool.get("status").asString()).isEqualTo("UP");
		assertThat(pool.get("details").get("redis").get("up").asBoolean()).isTrue();
		assertThat(pool.get("details").get("paused").asBoolean()).isFalse();
		assertThat(pool.get("details").get("groups").get("work").get("desired").asInt()).isEqualTo(1);
	}

	@Test
	void livenessLeavesResquePoolOut() {
		ActuatorHttp.Response liveness = new ActuatorHttp(this.port).get("/actuator/health/liveness");
		assertThat(liveness.status()).isEqualTo(200);
		assertThat(liveness.json().get("components").has("livenessState")).isTrue();
		assertThat(liveness.json().get("components").has("resquePool")).isFalse();
	}

	@Test
	void readinessIncludesResquePool() {
		ActuatorHttp.Response readiness = new ActuatorHttp(this.port).get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("components").get("resquePool").get("status").asString()).isEqualTo("UP");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
