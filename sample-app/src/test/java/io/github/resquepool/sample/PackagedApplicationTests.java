package io.github.resquepool.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

import io.github.resquepool.sample.security.MissingOpsPasswordException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample as {@code java -jar}, Heroku's Procfile and the Kubernetes image run it:
 * {@code application.yml} alone, no profile, and the process environment without
 * {@code OPS_PASSWORD} unless a test sets it. It refuses to start without an operator
 * password; the {@code dev} profile, which {@code ./mvnw -pl sample-app -am
 * spring-boot:run} switches on, supplies the development one.
 */
@ExtendWith(OutputCaptureExtension.class)
class PackagedApplicationTests {

	private static final String STARTED_EMBEDDED_REDIS = "started embedded Redis";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void refusesToStartWithoutOpsPassword(CapturedOutput output) {
		assertThatExceptionOfType(MissingOpsPasswordException.class).isThrownBy(() -> run(Map.of()).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("OPS_PASSWORD is not set")
			.contains("heroku config:set OPS_PASSWORD=")
			.contains("kubectl create secret generic resque-pool-sample-ops")
			.contains("dev profile");
		// It fails before it starts anything (startsWithTheDevProfile sees this line).
		assertThat(output).doesNotContain(STARTED_EMBEDDED_REDIS);
	}

	@Test
	void refusesToStartWithABlankOpsPassword(CapturedOutput output) {
		assertThatExceptionOfType(MissingOpsPasswordException.class)
			.isThrownBy(() -> run(Map.of("OPS_PASSWORD", "  ")).close());
		assertThat(output).contains("APPLICATION FAILED TO START").contains("OPS_PASSWORD is not set or is blank");
	}

	@Test
	void startsWithTheDevProfileAndItsDevelopmentPassword(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run(Map.of(), "--spring.profiles.active=dev",
				"--resque.sample.demo-on-start=true")) {
			assertThat(output).contains(STARTED_EMBEDDED_REDIS);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(output).contains("More: curl -u ops:ops-dev-password -X POST"));
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(get(port, "/actuator/resquepool", "ops:ops-dev-password").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void startsWithOpsPasswordAndRefusesTheDevelopmentPassword(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run(Map.of("OPS_PASSWORD", "s3cret-of-our-own"),
				"--resque.sample.demo-on-start=true")) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(output).contains("More: curl -u ops:$OPS_PASSWORD -X POST"));
			assertThat(output).doesNotContain("s3cret-of-our-own");
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(get(port, "/actuator/resquepool", "ops:s3cret-of-our-own").statusCode()).isEqualTo(200);
			assertThat(get(port, "/actuator/resquepool", "ops:ops-dev-password").statusCode()).isEqualTo(401);
		}
	}

	/**
	 * Runs the application on {@code application.yml} only (not the tests'
	 * {@code config/application.properties}, which switches the dev profile on), with the
	 * process environment less the operator password, plus {@code environment}.
	 */
	private static ConfigurableApplicationContext run(Map<String, String> environment, String... args) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setEnvironment(new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				Map<String, Object> variables = new HashMap<>(super.getSystemEnvironment());
				variables.keySet()
					.removeAll(List.of("OPS_PASSWORD", "SPRING_SECURITY_USER_PASSWORD", "SPRING_PROFILES_ACTIVE",
							"SPRING_CONFIG_LOCATION", "SPRING_CONFIG_ADDITIONAL_LOCATION"));
				variables.putAll(environment);
				return variables;
			}

		});
		List<String> arguments = new ArrayList<>(List.of("--spring.config.location=classpath:/application.yml",
				"--server.port=0", "--resque.sample.embedded-redis.port=0"));
		arguments.addAll(List.of(args));
		if (arguments.stream().noneMatch((argument) -> argument.startsWith("--resque.sample.demo-on-start="))) {
			arguments.add("--resque.sample.demo-on-start=false");
		}
		return application.run(arguments.toArray(String[]::new));
	}

	private HttpResponse<String> get(int port, String path, String credentials)
			throws IOException, InterruptedException {
		String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Basic " + basic)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
