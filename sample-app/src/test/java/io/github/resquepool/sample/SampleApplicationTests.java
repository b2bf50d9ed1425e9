package io.github.resquepool.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.sample.demo.DemoJobs;
import io.github.resquepool.sample.jobs.ReportRequest;
import io.github.resquepool.sample.redis.EmbeddedRedisEnvironmentPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the whole application with no Redis configured: it must start an embedded Redis
 * and process what the demo endpoint enqueues.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resque.sample.demo-on-start=false", "resque.sample.report-delay=50ms",
				// Any free port, so the tests do not take 6379 from a running sample app.
				"resque.sample.embedded-redis.port=0" })
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private ResqueClient resque;

	@Autowired
	private ResqueFailures failures;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void startsAnEmbeddedRedisWhenNoneIsConfigured(@Autowired Environment environment,
			@Autowired EmbeddedRedisServer server) {
		assertThat(server.isRunning()).isTrue();
		assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo("127.0.0.1");
		assertThat(environment.getProperty("spring.data.redis.port", Integer.class)).isEqualTo(server.port());
		assertThat(((ConfigurableEnvironment) environment).getPropertySources()
			.contains(EmbeddedRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isTrue();
		assertThat(this.redis.execute((RedisCallback<String>) RedisConnection::ping)).isEqualTo("PONG");
	}

	@Test
	void processesEveryEnqueuedJobAndRecordsTheFailingCharges() throws Exception {
		long processedBefore = processed();
		long failuresBefore = this.failures.count();

		HttpResponse<String> response = post("/demo/enqueue?count=20");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"enqueued\":20");
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			assertThat(processed() - processedBefore).isEqualTo(20);
			assertThat(DemoJobs.QUEUES).allSatisfy((queue) -> assertThat(this.resque.size(queue)).isZero());
		});
		// One demo job in ten is a charge with a negative amount.
		assertThat(this.failures.count() - failuresBefore).isEqualTo(2);
		List<FailureRecord> failed = this.failures.list(failuresBefore, 2);
		assertThat(failed).allSatisfy((failure) -> {
			assertThat(failure.exception()).isEqualTo("java.lang.IllegalArgumentException");
			assertThat(failure.jobClass()).contains("Billing::Charge");
			assertThat(failure.queue()).isEqualTo("critical");
		});
		assertThat(get("/demo/queues").body()).contains("\"critical\":0").contains("\"failed\":");
	}

	@Test
	void anOrderAndItsConfirmationCommitTogetherThroughTheOutboxAndARollbackSendsNothing(@Autowired JdbcTemplate jdbc)
			throws Exception {
		long processedBefore = processed();
		HttpResponse<String> failed = post("/demo/orders?customer=bob&cents=500&fail=true");
		assertThat(failed.statusCode()).isEqualTo(409);
		HttpResponse<String> placed = post("/demo/orders?customer=alice&cents=1999");
		assertThat(placed.statusCode()).isEqualTo(200);
		long id = Long.parseLong(placed.body().replaceAll(".*\"order\":(\\d+).*", "$1"));
		// The committed order's confirmation runs: the outbox delivered it after the
		// commit.
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(get("/demo/orders/" + id).body()).contains("\"CONFIRMED_AT\"")
				.doesNotContain("\"CONFIRMED_AT\":null"));
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM resque_outbox", Long.class)).isZero();
		// The rolled-back order left no row, and no confirmation ran for it: sent, it
		// would have been taken first (the queue is FIFO) and counted with the other.
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM demo_order WHERE customer = 'bob'", Long.class)).isZero();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> processed() - processedBefore >= 1);
		assertThat(this.resque.size("mail")).isZero();
		assertThat(processed() - processedBefore).isEqualTo(1);
		assertThat(get("/demo/orders/" + (id + 100)).statusCode()).isEqualTo(404);
	}

	@Test
	void rejectsBadCountsWithAJsonError() throws Exception {
		for (String count : List.of("-1", "0", "10001", "abc")) {
			HttpResponse<String> response = post("/demo/enqueue?count=" + count);
			assertThat(response.statusCode()).as("count=%s", count).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(response.body()).contains("\"status\":400").contains("count must be");
		}
	}

	@Test
	void writesReportRequestsAsARubyProducerWould() {
		ReportRequest request = new ReportRequest("sales", 42, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31),
				"pdf");
		assertThat(this.resque.payload("Reports::Build", request)).isEqualTo("{\"class\":\"Reports::Build\",\"args\":"
				+ "[{\"report\":\"sales\",\"account_id\":42,\"from\":\"2025-01-01\",\"to\":\"2025-01-31\",\"format\":\"pdf\"}]}");
	}

	@Test
	void healthIsUp() throws Exception {
		HttpResponse<String> response = anonymousGet("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void onlyOperatorsMayPauseThePoolWhileItsStateStaysReadable(@Autowired ResquePool pool) throws Exception {
		try {
			assertThat(anonymousPost("/actuator/resquepool/pause").statusCode()).isEqualTo(401);
			assertThat(pool.status().requested()).isEqualTo(PoolStatus.State.RUNNING);
			assertThat(get("/actuator/resquepool").statusCode()).isEqualTo(200);
			assertThat(get("/actuator/health/readiness").body()).contains("\"resquePool\"");
			String credentials = java.util.Base64.getEncoder()
				.encodeToString("ops:ops-dev-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			HttpResponse<String> paused = this.http.send(HttpRequest.newBuilder(uri("/actuator/resquepool/pause"))
				.header("Authorization", "Basic " + credentials)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(paused.statusCode()).isEqualTo(200);
			assertThat(paused.body()).contains("\"applied\":true");
			assertThat(pool.status().requested()).isEqualTo(PoolStatus.State.PAUSED);
		}
		finally {
			pool.resume();
		}
	}

	@Test
	void onlyOperatorsMayPauseTheFleetAndTheOverrideNamesThem(@Autowired ResqueFleet fleet) throws Exception {
		try {
			assertThat(anonymousPost("/actuator/resquefleet/pause").statusCode()).isEqualTo(401);
			assertThat(fleet.view().overrides()).isEmpty();
			assertThat(get("/actuator/resquefleet").statusCode()).isEqualTo(200);
			String credentials = java.util.Base64.getEncoder()
				.encodeToString("ops:ops-dev-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			HttpResponse<String> paused = this.http.send(HttpRequest.newBuilder(uri("/actuator/resquefleet/pause"))
				.header("Authorization", "Basic " + credentials)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(paused.statusCode()).isEqualTo(200);
			assertThat(paused.body()).contains("\"status\":\"applied\"");
			assertThat(fleet.view().overrides()).singleElement().satisfies((o) -> assertThat(o.by()).isEqualTo("ops"));
		}
		finally {
			fleet.reset(FleetScope.ALL, null, null);
		}
	}

	@Test
	void theDashboardIsForOperatorsAndItsFormsCarryTheCsrfToken() throws Exception {
		assertThat(anonymousGet("/resque/queues").statusCode()).isEqualTo(401);
		String credentials = java.util.Base64.getEncoder()
			.encodeToString("ops:ops-dev-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> pools = this.http.send(HttpRequest.newBuilder(uri("/resque/pools"))
			.header("Authorization", "Basic " + credentials)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(pools.statusCode()).isEqualTo(200);
		assertThat(pools.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((csp) -> assertThat(csp).contains("frame-ancestors 'none'"));
		assertThat(pools.body()).contains("<button type=\"submit\">Pause</button>").contains("name=\"_csrf\"");
		HttpResponse<String> withoutToken = this.http.send(HttpRequest.newBuilder(uri("/resque/workers"))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("op=prune"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withoutToken.statusCode()).isEqualTo(403);
	}

	private long processed() {
		String value = this.redis.opsForValue().get("resque:stat:processed");
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/** A POST as the operator (the dev profile's ops / ops-dev-password). */
	private HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(asOperator(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())),
				HttpResponse.BodyHandlers.ofString());
	}

	/** A GET as the operator (the dev profile's ops / ops-dev-password). */
	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(asOperator(HttpRequest.newBuilder(uri(path)).GET()),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> anonymousPost(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> anonymousGet(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest asOperator(HttpRequest.Builder request) {
		return request
			.header("Authorization",
					"Basic " + java.util.Base64.getEncoder()
						.encodeToString("ops:ops-dev-password".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.build();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
