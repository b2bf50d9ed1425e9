package io.github.resquepool.actuate.endpoint;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code resquefleet} endpoint over real HTTP: the fleet view, a bare POST on the
 * whole fleet, scoped writes with a JSON body, and the 400s that store nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.namespace=fleet-web", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=2s", "resque.pool.groups.work.queues=fleet-work",
				"resque.pool.groups.work.count=2", "management.endpoints.web.exposure.include=resquefleet",
				"management.endpoint.resquefleet.access=unrestricted" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResqueFleetEndpointWebTests {

	private static final String ENDPOINT = "/actuator/resquefleet";

	@LocalServerPort
	private int port;

	@Autowired
	private ResquePool pool;

	@Autowired
	private ResqueFleet fleet;

	@Autowired
	private EndpointTestJobs jobs;

	private ActuatorHttp http;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
	}

	@BeforeEach
	void prepare() {
		this.http = new ActuatorHttp(this.port);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.fleet.view().pools()).hasSize(1));
	}

	@AfterEach
	void reset() {
		this.fleet.reset(FleetScope.ALL, null, null);
	}

	@Test
	void getListsThePoolWithItsGroups() {
		JsonNode fleet = this.http.get(ENDPOINT).json();
		JsonNode pool = fleet.get("pools").get(0);
		assertThat(pool.get("id").asString()).isEqualTo(this.pool.status().poolId());
		assertThat(pool.get("online").asBoolean()).isTrue();
		assertThat(pool.get("groups").get(0).get("name").asString()).isEqualTo("work");
		assertThat(pool.get("groups").get(0).get("count").asInt()).isEqualTo(2);
		assertThat(fleet.get("overrides")).isEmpty();
	}

	@Test
	void aBarePostPausesTheWholeFleetAndSaysEachPoolApplied() {
		ActuatorHttp.Response response = this.http.post(ENDPOINT + "/pause");
		assertThat(response.status()).isEqualTo(200);
		JsonNode acks = response.json().get("pools");
		assertThat(acks).hasSize(1);
		assertThat(acks.get(0).get("status").asString()).isEqualTo("applied");
		assertThat(this.pool.status().groups().get(0).state()).isEqualTo(State.PAUSED);
		JsonNode override = this.http.get(ENDPOINT).json().get("overrides").get(0);
		assertThat(override.get("action").asString()).isEqualTo("pause");
		assertThat(override.get("by").asString()).isNotBlank();
		assertThat(this.http.post(ENDPOINT + "/resume").status()).isEqualTo(200);
		assertThat(this.pool.status().groups().get(0).state()).isEqualTo(State.RUNNING);
	}

	@Test
	void aScaleWithAJsonBodySetsTheGroupsCount() {
		ActuatorHttp.Response response = this.http.postJson(ENDPOINT + "/scale",
				"{\"group\":\"work\",\"count\":3,\"timeout\":\"5s\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("pools").get(0).get("status").asString()).isEqualTo("applied");
		assertThat(this.pool.status().groups().get(0).count()).isEqualTo(3);
	}

	@Test
	void badRequestsAnswer400WithAMessageAndStoreNothing() {
		JsonNode before = this.http.get(ENDPOINT).json().get("overrides");
		for (String body : new String[] { "{\"group\":\"nope\"}", "{\"pool\":\"host:1:gone\"}",
				"{\"group\":\"work\",\"count\":-1}", "{\"group\":\"work\"}", "{\"grup\":\"work\"}",
				"{\"timeout\":\"soon\"}", "{\"group\":\"work\",\"count\":2147483647}",
				"{\"group\":\"work\",\"count\":201}", "{\"group\":\"work\",\"count\":99999999999}" }) {
			String action = (body.contains("count") || body.equals("{\"group\":\"work\"}")) ? "scale" : "pause";
			ActuatorHttp.Response response = this.http.postJson(ENDPOINT + "/" + action, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("message").asString()).as(body).isNotBlank();
		}
		assertThat(this.http.post(ENDPOINT + "/explode").status()).isEqualTo(400);
		assertThat(this.http.get(ENDPOINT).json().get("overrides")).isEqualTo(before).isEmpty();
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			assertThat(client.sync().hlen("fleet-web:resquepool:fleet:overrides")).isEqualTo(0L);
		}
		assertThat(this.pool.status().groups().get(0).state()).isEqualTo(State.RUNNING);
	}

	@Test
	void aCancelOverHttpEndsTheRunningJobAndBadBodiesAnswer400AndStoreNothing() {
		for (String body : new String[] { "{}", "{\"worker\":\"a\",\"jobId\":\"b\"}",
				"{\"worker\":\"a\",\"group\":\"work\"}", "{\"worker\":\"a\\u0000b\"}", "{\"worker\":{\"a\":1}}",
				"{\"worker\":\"a\",\"timeout\":\"soon\"}", "{\"workr\":\"a\"}" }) {
			ActuatorHttp.Response response = this.http.postJson(ENDPOINT + "/cancel", body);
			assertThat(response.status()).as(body).isEqualTo(400);
		}
		assertThat(this.http.postJson(ENDPOINT + "/pause", "{\"worker\":\"a\"}").status()).isEqualTo(400);
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			assertThat(client.sync().keys("fleet-web:resquepool:cancel:*")).isEmpty();
			String idle = this.pool.status().workers().get(0).id();
			ActuatorHttp.Response idleAnswer = this.http.postJson(ENDPOINT + "/cancel",
					"{\"worker\":\"" + idle + "\"}");
			assertThat(idleAnswer.status()).isEqualTo(200);
			assertThat(idleAnswer.json().get("pools").get(0).get("status").asString()).isEqualTo("failed");
			assertThat(idleAnswer.json().get("pools").get(0).get("message").asString()).contains("idle");
			client.sync().sadd("fleet-web:queues", "fleet-work");
			client.sync()
				.rpush("fleet-web:queue:fleet-work", "{\"class\":\"EndpointTest::Block\",\"args\":[\"c\",\"s\"]}");
			EndpointTestJobs jobs = this.jobs;
			await().atMost(Duration.ofSeconds(10)).until(() -> jobs.started.contains("c"));
			String busy = this.pool.status()
				.workers()
				.stream()
				.filter((w) -> w.job() != null)
				.findFirst()
				.orElseThrow()
				.id();
			ActuatorHttp.Response answer = this.http.postJson(ENDPOINT + "/cancel",
					"{\"worker\":\"" + busy + "\",\"timeout\":\"10s\"}");
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("action").asString()).isEqualTo("cancel");
			assertThat(answer.json().get("pools").get(0).get("status").asString()).isEqualTo("applied");
			assertThat(client.sync().lindex("fleet-web:failed", 0)).contains("ResquePool::JobCancelled");
			client.sync().del("fleet-web:failed");
		}
	}

	@Test
	void aQueueLimitOverHttpIsShownUnderLimitsAndResetLiftsItWhileBadBodiesAnswer400() {
		for (String body : new String[] { "{\"queue\":\"exports\"}", "{\"concurrency\":2}",
				"{\"queue\":\"exports\",\"concurrency\":\"two\"}", "{\"queue\":\"exports\",\"concurrency\":-1}",
				"{\"queue\":\"a:b\",\"concurrency\":1}", "{\"queue\":\"exports\",\"per\":\"1m\"}",
				"{\"queue\":\"exports\",\"rate\":5,\"per\":\"soon\"}",
				"{\"queue\":\"exports\",\"concurrency\":1,\"group\":\"work\"}",
				"{\"queue\":\"exports\",\"concurrency\":99999999999}", "{\"queue\":\"exports\",\"concurency\":1}" }) {
			ActuatorHttp.Response response = this.http.postJson(ENDPOINT + "/limit", body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("message").asString()).as(body).isNotBlank();
		}
		assertThat(this.http.postJson(ENDPOINT + "/pause", "{\"concurrency\":2}").status()).isEqualTo(400);
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			assertThat(client.sync().exists("fleet-web:resquepool:queue-limits")).isZero();
			ActuatorHttp.Response answer = this.http.postJson(ENDPOINT + "/limit",
					"{\"queue\":\"exports\",\"concurrency\":2,\"rate\":100,\"per\":\"1m\"}");
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("action").asString()).isEqualTo("limit");
			JsonNode limit = this.http.get(ENDPOINT).json().get("limits").get(0);
			assertThat(limit.get("queue").asString()).isEqualTo("exports");
			assertThat(limit.get("class").isNull()).isTrue();
			assertThat(limit.get("key").isNull()).isTrue();
			assertThat(limit.get("concurrency").asInt()).isEqualTo(2);
			assertThat(limit.get("rate").asInt()).isEqualTo(100);
			assertThat(limit.get("per").asString()).isEqualTo("1m");
			assertThat(limit.get("held").asLong()).isZero();
			assertThat(limit.get("blocked").asLong()).isZero();
			assertThat(limit.get("source").asString()).isEqualTo("override");
			assertThat(client.sync().hget("fleet-web:resquepool:queue-limits", "exports")).isEqualTo("2 100 60000");
			assertThat(this.http.postJson(ENDPOINT + "/reset", "{\"queue\":\"exports\"}").status()).isEqualTo(200);
			assertThat(this.http.get(ENDPOINT).json().get("limits")).isEmpty();
			assertThat(client.sync().exists("fleet-web:resquepool:queue-limits")).isZero();
		}
	}

	@Test
	void aWriteFromAnotherSiteIsRefusedAndStoresNothing() {
		for (String action : new String[] { "pause", "reset", "resume" }) {
			ActuatorHttp.Response response = this.http.postWith(ENDPOINT + "/" + action, Map.of("Origin",
					"https://evil.example", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors"));
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.json().get("message").asString()).contains("another site");
		}
		assertThat(this.http.get(ENDPOINT).json().get("overrides")).isEmpty();
		assertThat(this.pool.status().groups().get(0).state()).isEqualTo(State.RUNNING);
		// a bare curl -X POST still pauses the fleet
		assertThat(this.http.rawBarePost(ENDPOINT + "/pause")).isEqualTo(200);
		assertThat(this.pool.status().groups().get(0).state()).isEqualTo(State.PAUSED);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EndpointTestJobs.class)
	static class TestApplication {

	}

}
