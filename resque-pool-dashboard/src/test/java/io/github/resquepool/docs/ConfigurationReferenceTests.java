package io.github.resquepool.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

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
		if (Boolean.getBoolean("docs.update")) {
			Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
			return;
		}
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

}
