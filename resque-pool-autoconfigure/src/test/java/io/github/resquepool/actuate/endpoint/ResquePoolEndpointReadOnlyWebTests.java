package io.github.resquepool.actuate.endpoint;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code resquepool} endpoint with its default, read-only access, and with job
 * arguments shown.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.namespace=endpoint-read-only", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=2s", "resque.pool.groups.work.queues=read-only-work",
				"resque.pool.groups.work.count=1", "resque.pool.endpoint.show-args=true",
				"management.endpoints.web.exposure.include=resquepool" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResquePoolEndpointReadOnlyWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ResquePool pool;

	@Autowired
	private EndpointTestJobs jobs;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
	}

	@AfterEach
	void release() {
		this.jobs.openAll();
	}

	@Test
	void writesAreNotAvailableWithoutAnExplicitOptIn() {
		ActuatorHttp http = new ActuatorHttp(this.port);
		assertThat(http.get("/actuator/resquepool").status()).isEqualTo(200);
		assertThat(http.post("/actuator/resquepool/pause").status()).isEqualTo(404);
		assertThat(http.postJson("/actuator/resquepool/pause", "{\"group\":\"work\"}").status()).isEqualTo(404);
		assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
		assertThat(this.pool.status().groups().get(0).requested()).isEqualTo(State.RUNNING);
	}

	@Test
	void showArgsShowsTheArgumentsOfRunningJobs() {
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			client.sync().sadd("endpoint-read-only:queues", "read-only-work");
			client.sync()
				.rpush("endpoint-read-only:queue:read-only-work",
						"{\"class\":\"EndpointTest::Block\",\"args\":[\"shown\",\"secret-42\"]}");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.jobs.started.contains("shown"));
		JsonNode worker = new ActuatorHttp(this.port).get("/actuator/resquepool").json().get("workers").get(0);
		assertThat(worker.get("job").get("args").toString()).isEqualTo("[\"shown\",\"secret-42\"]");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EndpointTestJobs.class)
	static class TestApplication {

	}

}
