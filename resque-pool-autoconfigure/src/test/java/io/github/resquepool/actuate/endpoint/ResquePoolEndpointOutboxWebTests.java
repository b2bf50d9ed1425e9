package io.github.resquepool.actuate.endpoint;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the transactional outbox on, {@code GET /actuator/resquepool} shows its backlog
 * and the age of its oldest row as the outbox's thread counted them, over real HTTP with
 * an H2 database.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.namespace=endpoint-outbox", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=2s", "resque.pool.groups.work.queues=endpoint-outbox",
				"resque.pool.groups.work.count=1", "resque.pool.client.outbox.enabled=true",
				"resque.pool.client.outbox.poll-interval=100ms",
				"management.endpoints.web.exposure.include=resquepool" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResquePoolEndpointOutboxWebTests {

	private static final String ENDPOINT = "/actuator/resquepool";

	private static final DataSource DATA_SOURCE = new DriverManagerDataSource(
			"jdbc:h2:mem:endpoint-outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final JdbcTemplate jdbc = new JdbcTemplate(DATA_SOURCE);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
	}

	@AfterEach
	void clear() {
		this.jdbc.update("DELETE FROM resque_outbox");
	}

	@Test
	void theBacklogAndTheAgeOfItsOldestRowShowAsTheOutboxCountedThem() {
		ActuatorHttp http = new ActuatorHttp(this.port);
		JsonNode empty = http.get(ENDPOINT).json().get("outbox");
		assertThat(empty).as("the outbox is on").isNotNull();
		assertThat(empty.get("backlog").asLong()).isZero();
		assertThat(empty.get("oldestAge").asString()).isEqualTo("PT0S");
		assertThat(empty.get("held").asInt()).isZero();
		// A row another instance claimed for an hour, written ten seconds ago: nobody
		// here delivers it, and the outbox counts it.
		long now = System.currentTimeMillis();
		this.jdbc.update(
				"INSERT INTO resque_outbox (token, created_at, queue_name, class_name, payload, attempts,"
						+ " claimed_by, claimed_until) VALUES (?, ?, 'endpoint-outbox', 'Held', '{}', 0, 'another', ?)",
				UUID.randomUUID().toString(), now - 10_000, now + 3_600_000);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> http.get(ENDPOINT).json().get("outbox").get("backlog").asLong() == 1);
		JsonNode outbox = http.get(ENDPOINT).json().get("outbox");
		assertThat(Duration.parse(outbox.get("oldestAge").asString())).isGreaterThanOrEqualTo(Duration.ofSeconds(10))
			.isLessThan(Duration.ofMinutes(1));
		assertThat(outbox.get("held").asInt()).as("held by another instance").isZero();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		DataSource dataSource() {
			return DATA_SOURCE;
		}

	}

}
