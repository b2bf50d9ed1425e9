package io.github.resquepool.actuate.endpoint;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Actuator's {@code env} and {@code configprops}, with their values shown, never show the
 * dashboard's password nor the password inside {@code resque.redis.url}, whatever the
 * spelling of the key; the rest of the URL stays readable.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.namespace=sanitizing", "resque.pool.groups.work.queues=sanitizing-work",
				"resque.pool.groups.work.count=1", "management.endpoints.web.exposure.include=env,configprops",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"resque.web.password=s3cret-web", "RESQUE_WEB_PASSWORD=s3cret-env" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class SecretsSanitizingWebTests {

	private static final EmbeddedRedisServer redis = passwordProtected();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("resque.redis.url", () -> "redis://:s3cret-redis@127.0.0.1:" + redis.port() + "/0");
		registry.add("RESQUE_REDIS_URL", () -> "redis://default:s3cret-redis@127.0.0.1:" + redis.port());
	}

	@AfterAll
	static void stop() {
		redis.stop();
	}

	@Test
	void envShowsNoPasswordButTheRestOfTheUrl() {
		String env = new ActuatorHttp(this.port).get("/actuator/env").body();
		assertThat(env).contains("resque.redis.url", "RESQUE_WEB_PASSWORD", "127.0.0.1:" + redis.port())
			.contains("redis://:******@127.0.0.1:" + redis.port() + "/0", "redis://default:******@127.0.0.1")
			.doesNotContain("s3cret");
	}

	@Test
	void configpropsShowsNoPasswordButTheRestOfTheUrl(CapturedOutput output) {
		String configprops = new ActuatorHttp(this.port).get("/actuator/configprops").body();
		assertThat(configprops).contains("redis://:******@127.0.0.1:" + redis.port() + "/0").doesNotContain("s3cret");
		assertThat(output).doesNotContain("s3cret");
	}

	@Test
	void thePoolReallyUsesThePassword() {
		try (StatefulRedisConnection<String, String> client = RedisConnections.open("127.0.0.1", redis.port())) {
			client.sync().auth("s3cret-redis");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(client.sync().keys("sanitizing:worker:*")).isNotEmpty());
		}
	}

	private static EmbeddedRedisServer passwordProtected() {
		EmbeddedRedisServer server = EmbeddedRedisServer.start(0, List.of());
		try (StatefulRedisConnection<String, String> client = RedisConnections.open("127.0.0.1", server.port())) {
			client.sync().configSet("requirepass", "s3cret-redis");
		}
		return server;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EndpointTestJobs.class)
	static class TestApplication {

	}

}
