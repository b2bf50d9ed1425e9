package io.github.resquepool.retry;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.RetryKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryKey} names the same attempt-count key as the real resque-retry gem for the
 * same payload arguments ({@code interop/captured/retry/retry_keys.json}, written by
 * {@code interop/ruby/capture_retry_keys.rb}).
 */
class RetryKeyTests {

	private static final Path KEYS = Path.of("..", "interop", "captured", "retry", "retry_keys.json");

	@Test
	void namesTheKeysResqueRetryNamesForTheSameArguments() throws Exception {
		JsonMapper mapper = JsonMapper.shared();
		JsonNode cases = mapper.readTree(Files.readString(KEYS));
		assertThat(cases.size()).isGreaterThanOrEqualTo(10);
		for (JsonNode example : cases) {
			JsonNode args = mapper.readTree(example.get("args_json").asString());
			assertThat(RetryKey.of("Retry::Flaky", args)).as(example.get("args_json").asString())
				.isEqualTo(example.get("key").asString());
		}
	}

	@Test
	void removesWhitespaceFromTheClassNameAsTheGemDoes() {
		assertThat(RetryKey.of("Retry:: Flaky", JsonMapper.shared().readTree("[]")))
			.isEqualTo("resque-retry:Retry::Flaky");
	}

}
