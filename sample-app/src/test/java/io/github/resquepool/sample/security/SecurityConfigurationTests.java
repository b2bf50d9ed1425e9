package io.github.resquepool.sample.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the health probes answer anonymous callers; every other Actuator endpoint, the
 * Resque dashboard and the demo endpoints are for operators.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "resque.sample.demo-on-start=false",
		"resque.sample.report-delay=50ms", "resque.sample.embedded-redis.port=0" })
class SecurityConfigurationTests {

	private static final List<String> OPERATOR_ONLY = List.of("/actuator", "/actuator/info", "/actuator/metrics",
			"/actuator/prometheus", "/actuator/resquepool", "/actuator/resquefleet", "/resque/queues", "/resque/pools",
			"/demo/queues");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void healthProbesAreAnonymous() throws Exception {
		for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			HttpResponse<String> response = get(probe, null);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
		}
	}

	@Test
	void anonymousCallersSeeOnlyTheHealthStatusAndOperatorsTheDetails() throws Exception {
		assertThat(get("/actuator/health/readiness", null).body()).doesNotContain("resquePool");
		assertThat(get("/actuator/health/readiness", "ops:ops-dev-password").body()).contains("\"resquePool\"")
			.contains("\"groups\"");
	}

	@Test
	void everythingElseIsForOperators() throws Exception {
		for (String path : OPERATOR_ONLY) {
			assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
			assertThat(get(path, "ops:wrong-password").statusCode()).as(path).isEqualTo(401);
			assertThat(get(path, "ops:ops-dev-password").statusCode()).as(path).isEqualTo(200);
		}
	}

	@Test
	void anonymousWritesAreRefused() throws Exception {
		for (String path : List.of("/demo/enqueue?count=1", "/actuator/resquepool/pause",
				"/actuator/resquefleet/pause")) {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(401);
		}
	}

	private HttpResponse<String> get(String path, String credentials) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
