package io.github.resquepool.docs;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/configuration.md} is what the configuration metadata of the build says,
 * word for word. With {@code -Ddocs.update=true} the test writes the page instead of
 * checking it ({@link ConfigurationReference#UPDATE_COMMAND}).
 */
class ConfigurationReferenceTests {

	private static final Path PAGE = Path.of("../docs/configuration.md");

	private static final Path EXPECTED = Path.of("target/configuration.md");

	private final ConfigurationReference reference;

	ConfigurationReferenceTests() throws IOException {
		this.reference = ConfigurationReference.fromClassPath(getClass().getClassLoader());
	}

	@BeforeAll
	static void writePageWhenAsked() throws IOException {
		if (Boolean.getBoolean("docs.update")) {
			String page = ConfigurationReference.fromClassPath(ConfigurationReferenceTests.class.getClassLoader())
				.toMarkdown();
			Files.writeString(PAGE, page, StandardCharsets.UTF_8);
		}
	}

	@Test
	void metadataOfBothModulesIsOnTheClassPath() {
		assertThat(this.reference.names()).contains("resque.pool.enabled", "resque.redis.url",
				"resque.scheduler.enabled", "resque.web.enabled", "management.endpoint.resquepool.access");
		assertThat(this.reference.names()).allMatch((name) -> name.startsWith("resque.")
				|| name.startsWith("management.endpoint.resque") || name.startsWith("management.health.resque"));
	}

	@Test
	void configurationPageMatchesTheMetadata() throws IOException {
		String expected = this.reference.toMarkdown();
		String actual = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
		if (!actual.equals(expected)) {
			Files.createDirectories(EXPECTED.getParent());
			Files.writeString(EXPECTED, expected, StandardCharsets.UTF_8);
			fail("docs/configuration.md differs from the configuration metadata (the page the metadata gives is "
					+ EXPECTED.toAbsolutePath().normalize() + "). Write it again with: "
					+ ConfigurationReference.UPDATE_COMMAND);
		}
	}

	@Test
	void configurationPageListsEveryKey() throws IOException {
		String page = Files.readString(PAGE, StandardCharsets.UTF_8);
		assertThat(this.reference.names()).allSatisfy((name) -> assertThat(page).contains("| `" + name + "` |"));
	}

	@Test
	void rendersEscapedDescriptionsEnumValuesAndDeprecationsAndIgnoresOtherProjects(@TempDir Path dir)
			throws IOException {
		Path ours = dir.resolve("ours");
		Path theirs = dir.resolve("theirs");
		write(ours,
				"""
						{"groups": [{"name": "resque.demo", "sourceType": "io.github.resquepool.Demo"}],
						 "properties": [
						   {"name": "resque.demo.unit", "type": "java.util.concurrent.TimeUnit", "defaultValue": "SECONDS",
						    "description": "Unit of a | b, for *all* queues."},
						   {"name": "resque.demo.old", "type": "java.lang.Integer", "defaultValue": 3,
						    "deprecation": {"replacement": "resque.demo.new"}, "description": "Old count."},
						   {"name": "resque.demo.queues", "type": "java.util.List<java.lang.String>", "defaultValue": ["a", "b"]}
						 ]}
						""");
		write(theirs, """
				{"groups": [{"name": "spring.other", "sourceType": "org.example.Other"}],
				 "properties": [{"name": "spring.other.enabled", "type": "java.lang.Boolean"}]}
				""");
		try (URLClassLoader loader = new URLClassLoader(new URL[] { ours.toUri().toURL(), theirs.toUri().toURL() },
				null)) {
			ConfigurationReference reference = ConfigurationReference.fromClassPath(loader);
			assertThat(reference.names()).containsExactly("resque.demo.old", "resque.demo.queues", "resque.demo.unit");
			assertThat(reference.toMarkdown()).contains("\n## `resque.demo`\n")
				.contains(
						"| `resque.demo.old` | `Integer` | `3` | **Deprecated**: use `resque.demo.new`. Old count. |\n")
				.contains("| `resque.demo.queues` | `List<String>` | `a,b` |  |\n")
				.contains(
						"| `resque.demo.unit` | `TimeUnit`: `nanoseconds`, `microseconds`, `milliseconds`, `seconds`, "
								+ "`minutes`, `hours`, `days` | `seconds` | Unit of a \\| b, for \\*all\\* queues. |\n")
				.doesNotContain("spring.other");
		}
	}

	private static void write(Path root, String metadata) throws IOException {
		Path file = root.resolve(ConfigurationReference.METADATA);
		Files.createDirectories(file.getParent());
		Files.writeString(file, metadata, StandardCharsets.UTF_8);
	}

}
