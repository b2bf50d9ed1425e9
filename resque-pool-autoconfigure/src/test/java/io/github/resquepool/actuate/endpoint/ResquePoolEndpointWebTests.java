package io.github.resquepool.actuate.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every operation of the {@code resquepool} endpoint and every bad parameter, over real
 * HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "resque.pool.namespace=endpoint-web",
		"resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s", "resque.pool.max-workers=5",
		"resque.pool.groups.work.queues=endpoint-work", "resque.pool.groups.work.count=2",
		"resque.pool.groups.mail.queues=endpoint-mail", "resque.pool.groups.mail.count=1",
		"management.endpoints.web.exposure.include=resquepool", "management.endpoint.resquepool.access=unrestricted" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResquePoolEndpointWebTests {

	private static final String ENDPOINT = "/actuator/resquepool";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ResquePool pool;

	@Autowired
	private EndpointTestJobs jobs;

	@Autowired
	private ConfigurableEnvironment environment;

	private ActuatorHttp http;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
	}

	@BeforeEach
	void prepare() {
		this.http = new ActuatorHttp(this.port);
	}

	@AfterEach
	void restore() {
		this.jobs.openAll();
		this.environment.getPropertySources().remove("reload");
		this.pool.reload();
		this.pool.resume();
		this.pool.resume("work");
		this.pool.resume("mail");
		this.pool.scale("work", 2);
		this.pool.scale("mail", 1);
	}

	@Test
	void getDescribesStateGroupsWorkersAndTotals() {
		await().atMost(WAIT).until(() -> this.pool.status().workers().size() == 3);
		ActuatorHttp.Response response = this.http.get(ENDPOINT);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/vnd.spring-boot.actuator.v3+json");
		JsonNode json = response.json();
		assertThat(json.get("state").asString()).isEqualTo("RUNNING");
		assertThat(json.get("requestedState").asString()).isEqualTo("RUNNING");
		assertThat(json.get("redisUp").asBoolean()).isTrue();
		assertThat(json.get("processed").isNumber()).isTrue();
		assertThat(json.get("failed").isNumber()).isTrue();
		assertThat(json.has("lastReloadError")).isTrue();
		assertThat(json.get("lastReloadError").isNull()).isTrue();
		assertThat(json.has("outbox")).as("the outbox is off").isFalse();
		JsonNode work = json.get("groups").get(0);
		assertThat(work.get("name").asString()).isEqualTo("work");
		assertThat(work.get("queues").asString()).isEqualTo("endpoint-work");
		assertThat(work.get("count").asInt()).isEqualTo(2);
		assertThat(work.get("live").asInt()).isEqualTo(2);
		assertThat(work.get("state").asString()).isEqualTo("RUNNING");
		assertThat(json.get("groups").get(1).get("name").asString()).isEqualTo("mail");
		JsonNode worker = json.get("workers").get(0);
		assertThat(worker.get("group").asString()).isIn("work", "mail");
		assertThat(worker.get("state").asString()).isIn("IDLE", "STARTING");
		assertThat(worker.has("job")).isTrue();
		assertThat(worker.get("job").isNull()).isTrue();
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			List<String> ids = json.get("workers").valueStream().map((w) -> w.get("id").asString()).toList();
			assertThat(Set.copyOf(ids)).isEqualTo(Set.copyOf(client.sync().smembers("endpoint-web:workers")));
		}
	}

	@Test
	void aRunningJobShowsClassQueueAndTimesButNotItsArguments() {
		push("endpoint-work", "running", "secret-42");
		await().atMost(WAIT).until(() -> this.jobs.started.contains("running"));
		ActuatorHttp.Response response = this.http.get(ENDPOINT);
		JsonNode job = response.json()
			.get("workers")
			.valueStream()
			.map((w) -> w.get("job"))
			.filter((j) -> !j.isNull())
			.findFirst()
			.orElseThrow();
		assertThat(job.get("class").asString()).isEqualTo("EndpointTest::Block");
		assertThat(job.get("queue").asString()).isEqualTo("endpoint-work");
		assertThat(job.get("runAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat(job.get("runningFor").asString()).startsWith("PT");
		assertThat(job.has("args")).isFalse();
		assertThat(response.body()).doesNotContain("secret-42");
	}

	@Test
	void aBarePostPausesAndResumesTheWholePool() {
		ActuatorHttp.Response paused = this.http.post(ENDPOINT + "/pause");
		assertThat(paused.status()).isEqualTo(200);
		assertThat(paused.json().get("applied").asBoolean()).isTrue();
		assertThat(paused.json().get("changes").get(0).asString()).isEqualTo("paused the pool");
		assertThat(this.pool.status().requested()).isEqualTo(State.PAUSED);
		assertThat(this.http.get(ENDPOINT).json().get("state").asString()).isEqualTo("PAUSED");
		ActuatorHttp.Response resumed = this.http.post(ENDPOINT + "/resume");
		assertThat(resumed.status()).isEqualTo(200);
		assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
	}

	@Test
	void aBarePostWithoutContentLengthAsCurlSendsItIsAccepted() {
		assertThat(this.http.rawBarePost(ENDPOINT + "/pause")).isEqualTo(200);
		assertThat(this.pool.status().requested()).isEqualTo(State.PAUSED);
		assertThat(this.http.rawBarePost(ENDPOINT + "/resume")).isEqualTo(200);
		assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
	}

	@Test
	void aPauseWhileAJobRunsIsPausingUntilTheJobFinishes() {
		push("endpoint-work", "long", "x");
		await().atMost(WAIT).until(() -> this.jobs.started.contains("long"));
		this.http.post(ENDPOINT + "/pause");
		JsonNode json = this.http.get(ENDPOINT).json();
		assertThat(json.get("requestedState").asString()).isEqualTo("PAUSED");
		assertThat(json.get("state").asString()).isEqualTo("PAUSING");
		this.jobs.open("long");
		await().atMost(WAIT).until(() -> this.pool.status().state() == State.PAUSED);
	}

	@Test
	void aJsonGroupPausesAndResumesOneGroup() {
		ActuatorHttp.Response paused = this.http.postJson(ENDPOINT + "/pause", "{\"group\":\"mail\"}");
		assertThat(paused.status()).isEqualTo(200);
		assertThat(paused.json().get("group").asString()).isEqualTo("mail");
		assertThat(paused.json().get("changes").get(0).asString()).isEqualTo("paused group 'mail'");
		assertThat(group("mail").requested()).isEqualTo(State.PAUSED);
		assertThat(group("work").requested()).isEqualTo(State.RUNNING);
		assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
		ActuatorHttp.Response resumed = this.http.postJson(ENDPOINT + "/resume", "{\"group\":\"mail\"}");
		assertThat(resumed.status()).isEqualTo(200);
		assertThat(group("mail").requested()).isEqualTo(State.RUNNING);
	}

	@Test
	void scaleSetsAGroupsCount() {
		ActuatorHttp.Response response = this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":3}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("changes").get(0).asString())
			.isEqualTo("scaled group 'work' from 2 to 3 workers");
		assertThat(group("work").count()).isEqualTo(3);
		await().atMost(WAIT).until(() -> group("work").live() == 3);
	}

	@Test
	void scaleWithoutAGroupIsRefusedWhenThePoolHasSeveral() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"count\":3}"), "group is required");
	}

	@Test
	void unknownGroupIsRefusedWithAJsonMessageAndChangesNothing() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/pause", "{\"group\":\"nope\"}"), "no worker group 'nope'");
		assertRefused(() -> this.http.postJson(ENDPOINT + "/resume", "{\"group\":\"nope\"}"), "no worker group 'nope'");
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"nope\",\"count\":1}"),
				"no worker group 'nope'");
	}

	@Test
	void negativeCountIsRefusedAndChangesNothing() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":-1}"),
				"count must be 0 or more");
	}

	@Test
	void countOverMaxWorkersIsRefusedAndChangesNothing() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":5}"),
				"more than resque.pool.max-workers=5");
	}

	@Test
	void aCountThatWouldOverflowTheTotalIsRefusedAndChangesNothing() {
		for (String count : new String[] { "2147483647", "2147483646", "2147483000" }) {
			assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":" + count + "}"),
					"resque.pool.max-workers=5");
		}
	}

	@Test
	void aCountBeyondAnIntegerIsRefusedAndChangesNothing() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":99999999999}"),
				"count must be a whole number");
	}

	@Test
	void aWriteFromAnotherSiteIsRefusedAndChangesNothing() {
		List<Map<String, String>> foreign = List.of(
				Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors"),
				Map.of("Origin", "https://evil.example"), Map.of("Origin", "null"),
				Map.of("Origin", "http://localhost:" + this.port + ".evil.example"),
				Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"));
		for (Map<String, String> headers : foreign) {
			ActuatorHttp.Response response = this.http.postWith(ENDPOINT + "/pause", headers);
			assertThat(response.status()).as(headers.toString()).isEqualTo(403);
			assertThat(response.json().get("message").asString()).as(headers.toString()).contains("another site");
			assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
		}
		// The same write from the application's own origin, as a same-origin page sends
		// it, pauses: so the refusals above were not for another reason.
		ActuatorHttp.Response own = this.http.postWith(ENDPOINT + "/pause",
				Map.of("Origin", "http://localhost:" + this.port, "Sec-Fetch-Site", "same-origin"));
		assertThat(own.status()).isEqualTo(200);
		assertThat(this.pool.status().requested()).isEqualTo(State.PAUSED);
		assertThat(this.http.post(ENDPOINT + "/resume").status()).isEqualTo(200);
	}

	@Test
	void missingCountIsRefusedAndChangesNothing() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\"}"), "count is required");
		assertRefused(() -> this.http.post(ENDPOINT + "/scale"), "count is required");
	}

	@Test
	void aCountThatIsNotAWholeNumberIsRefusedWithAJsonMessage() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/scale", "{\"group\":\"work\",\"count\":\"three\"}"),
				"count must be a whole number, was 'three'");
	}

	@Test
	void countOnPauseIsRefused() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/pause", "{\"group\":\"work\",\"count\":3}"),
				"pause takes no count");
	}

	@Test
	void reloadAppliesTheChangedConfigurationAndAnswersTheDiff() {
		override(Map.of("resque.pool.groups.mail.count", "2"));
		ActuatorHttp.Response response = this.http.post(ENDPOINT + "/reload");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("applied").asBoolean()).isTrue();
		assertThat(response.json().get("changes").get(0).asString()).isEqualTo("scaled group 'mail' from 1 to 2");
		assertThat(group("mail").count()).isEqualTo(2);
	}

	@Test
	void reloadOfAnInvalidConfigurationIsRefusedWith400AndChangesNothing() {
		override(Map.of("resque.pool.groups.mail.count", "-1", "resque.pool.groups.work.count", "1"));
		assertRefused(() -> this.http.post(ENDPOINT + "/reload"), "resque.pool.groups.mail.count");
		JsonNode json = this.http.get(ENDPOINT).json();
		assertThat(json.get("lastReloadError").asString()).contains("resque.pool.groups.mail.count");
	}

	@Test
	void unknownActionIsRefused() {
		assertRefused(() -> this.http.post(ENDPOINT + "/restart"), "unknown action 'restart'");
	}

	@Test
	void aMisspelledParameterIsRefusedInsteadOfPausingEverything() {
		assertRefused(() -> this.http.postJson(ENDPOINT + "/pause", "{\"grup\":\"mail\"}"), "unknown parameter 'grup'");
	}

	@Test
	void aGroupInTheQueryOfABarePostIsRefusedInsteadOfPausingEverything() {
		assertRefused(() -> this.http.post(ENDPOINT + "/pause?group=mail"), "must come in a JSON body");
	}

	@Test
	void aFormBodyIsUnsupported() {
		ActuatorHttp.Response response = this.http.postForm(ENDPOINT + "/pause", "{\"group\":\"mail\"}");
		assertThat(response.status()).isEqualTo(415);
		assertThat(this.pool.status().requested()).isEqualTo(State.RUNNING);
		assertThat(group("mail").requested()).isEqualTo(State.RUNNING);
	}

	/**
	 * Sends a request that must be refused, and checks that it changed nothing: the
	 * snapshot to compare with is taken before the request is sent.
	 */
	private void assertRefused(Supplier<ActuatorHttp.Response> request, String message) {
		PoolStatus before = this.pool.status();
		ActuatorHttp.Response response = request.get();
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.contentType()).contains("json");
		JsonNode json = response.json();
		assertThat(json.get("applied").asBoolean()).isFalse();
		assertThat(json.get("message").asString()).contains(message);
		PoolStatus after = this.pool.status();
		assertThat(after.requested()).isEqualTo(State.RUNNING);
		assertThat(after.groups())
			.extracting(PoolStatus.Group::name, PoolStatus.Group::count, PoolStatus.Group::requested)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("work", 2, State.RUNNING),
					org.assertj.core.groups.Tuple.tuple("mail", 1, State.RUNNING));
		assertThat(after.groups())
			.extracting(PoolStatus.Group::name, PoolStatus.Group::queues, PoolStatus.Group::count,
					PoolStatus.Group::requested)
			.isEqualTo(before.groups()
				.stream()
				.map((g) -> org.assertj.core.groups.Tuple.tuple(g.name(), g.queues(), g.count(), g.requested()))
				.toList());
		assertThat(after.requested()).isEqualTo(before.requested());
	}

	private PoolStatus.Group group(String name) {
		return this.pool.status().groups().stream().filter((g) -> g.name().equals(name)).findFirst().orElseThrow();
	}

	private void override(Map<String, Object> properties) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("reload", properties));
	}

	private static void push(String queue, String key, String secret) {
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			client.sync().sadd("endpoint-web:queues", queue);
			client.sync()
				.rpush("endpoint-web:queue:" + queue,
						"{\"class\":\"EndpointTest::Block\",\"args\":[\"" + key + "\",\"" + secret + "\"]}");
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EndpointTestJobs.class)
	static class TestApplication {

	}

}
