package io.github.resquepool.sample.testing;

// docs/testing.md (Testcontainers) shows this file from here on, word for word
// (TestingPageRecipeTests checks it). It needs a Docker engine; without one JUnit reports
// it skipped: "disabledWithoutDocker is true and Docker is not available".
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("Testcontainers recipe (runs where Docker answers)")
class InvoiceFlowTests {

	@Container
	@ServiceConnection(name = "redis")
	static GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);

	@Autowired
	ResqueClient resque;

	@Autowired
	ResqueFailures failures;

	@Test
	void theChargeFailsOnTheContainersRedis(@Autowired LettuceConnectionFactory connectionFactory) {
		assertThat(connectionFactory.getPort()).isEqualTo(redis.getMappedPort(6379));
		this.resque.enqueue("critical", "Billing::Charge", "acct_tc", -5);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.failures.list(0, 100))
				.anySatisfy((failure) -> assertThat(failure.error()).contains("acct_tc")));
	}

}
