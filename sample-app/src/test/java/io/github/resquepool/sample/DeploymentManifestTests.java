package io.github.resquepool.sample;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifest that people copy ({@code deploy/kubernetes.yaml}) gives every
 * pod an operator password of its own, from a Secret, and probes only the anonymous
 * health groups.
 */
class DeploymentManifestTests {

	private static final Path MANIFEST = Path.of("deploy/kubernetes.yaml");

	@Test
	void opsPasswordComesFromASecret() throws IOException {
		Map<String, Object> password = env(container()).stream()
			.filter((variable) -> "OPS_PASSWORD".equals(variable.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the worker container sets no OPS_PASSWORD"));
		assertThat(password).doesNotContainKey("value");
		Map<String, Object> secretKeyRef = map(map(password.get("valueFrom")).get("secretKeyRef"));
		assertThat(secretKeyRef).containsEntry("name", "resque-pool-sample-ops").containsEntry("key", "password");
		assertThat(secretKeyRef).doesNotContainEntry("optional", true);
	}

	@Test
	void theCommentsSayHowToCreateTheSecret() throws IOException {
		assertThat(Files.readString(MANIFEST, StandardCharsets.UTF_8))
			.contains("kubectl create secret generic resque-pool-sample-ops --from-literal=password=");
	}

	@Test
	void probesHitOnlyTheHealthGroups() throws IOException {
		Map<String, Object> container = container();
		assertThat(map(map(container.get("livenessProbe")).get("httpGet"))).containsEntry("path",
				"/actuator/health/liveness");
		assertThat(map(map(container.get("readinessProbe")).get("httpGet"))).containsEntry("path",
				"/actuator/health/readiness");
	}

	private static Map<String, Object> container() throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(MANIFEST, StandardCharsets.UTF_8)) {
			new Yaml().loadAll(reader).forEach((document) -> documents.add(map(document)));
		}
		Map<String, Object> deployment = documents.stream()
			.filter((document) -> "Deployment".equals(document.get("kind")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> podSpec = map(map(map(deployment.get("spec")).get("template")).get("spec"));
		List<Object> containers = list(podSpec.get("containers"));
		assertThat(containers).hasSize(1);
		return map(containers.get(0));
	}

	private static List<Map<String, Object>> env(Map<String, Object> container) {
		return list(container.get("env")).stream().map(DeploymentManifestTests::map).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

}
