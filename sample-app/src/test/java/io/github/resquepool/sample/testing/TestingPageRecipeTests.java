package io.github.resquepool.sample.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers recipe of {@code docs/testing.md} is {@link InvoiceFlowTests} word
 * for word (tabs shown as four spaces), so what the page shows compiles and runs where
 * Docker answers.
 */
class TestingPageRecipeTests {

	private static final String MARKER = "// it skipped: \"disabledWithoutDocker is true and Docker is not available\".\n";

	@Test
	void theTestingPageShowsInvoiceFlowTestsWordForWord() throws IOException {
		String source = Files.readString(
				Path.of("src/test/java/io/github/resquepool/sample/testing/InvoiceFlowTests.java"),
				StandardCharsets.UTF_8);
		assertThat(source).contains(MARKER);
		String recipe = source.substring(source.indexOf(MARKER) + MARKER.length()).replace("\t", "    ");
		String page = Files.readString(Path.of("../docs/testing.md"), StandardCharsets.UTF_8);
		assertThat(page).contains("```java\n" + recipe + "```\n");
	}

}
