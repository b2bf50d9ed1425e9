package io.github.resquepool.contract;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.FAILED;
import static io.github.resquepool.contract.ContractSupport.json;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.onlyWorker;
import static io.github.resquepool.contract.ContractSupport.push;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure entry a job that raised leaves in {@code failed} (wire contract section
 * 10).
 */
@ExtendWith(RedisExtension.class)
class FailureEntryContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.groups.main.queues=q", "resque.pool.groups.main.count=1");

	@Test
	void failingHandlerLeavesARubyShapedEntry(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String id = onlyWorker(client);
				String payload = "{\"class\":\"Contract::Fail\",\"args\":[\"boom\"],\"id\":\"j-9\"}";
				push(client, "q", payload);
				eventually(() -> assertThat(llen(client, FAILED)).isEqualTo(1));
				String raw = client.sync().lindex(FAILED, 0);
				JsonNode entry = json(raw);

				assertThat(new ArrayList<>(entry.propertyNames())).containsExactly("failed_at", "payload", "exception",
						"error", "backtrace", "worker", "queue");
				assertThat(entry.get("failed_at").isString()).isTrue();
				assertThat(entry.get("failed_at").asString())
					.matches("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+$");
				assertThat(entry.get("exception").asString()).isEqualTo("java.lang.IllegalArgumentException");
				assertThat(entry.get("error").asString()).isEqualTo("boom");
				assertThat(entry.get("worker").isString()).isTrue();
				assertThat(entry.get("worker").asString()).isEqualTo(id);
				assertThat(entry.get("queue").asString()).isEqualTo("q");
				assertThat(entry.get("payload")).isEqualTo(json(payload));
				assertThat(raw).contains("\"payload\":" + payload + ",\"exception\":");

				JsonNode backtrace = entry.get("backtrace");
				assertThat(backtrace.isArray()).isTrue();
				assertThat(backtrace.size()).isPositive();
				List<String> frames = new ArrayList<>();
				backtrace.forEach((frame) -> {
					assertThat(frame.isString()).as(frame.toString()).isTrue();
					frames.add(frame.asString());
				});
				assertThat(frames.get(0)).contains(ContractJobs.class.getName() + ".fail(");
				// cut before the pool's own invocation code, as Ruby cuts at
				// lib/resque/job.rb
				assertThat(frames).noneMatch((frame) -> frame.contains("io.github.resquepool.worker."));
			}
		});
	}

	@Test
	void exceptionWithoutAMessageRecordsAnEmptyErrorString(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				// Contract::Fail throws new IllegalArgumentException(null)
				push(client, "q", "{\"class\":\"Contract::Fail\",\"args\":[null]}");
				eventually(() -> assertThat(llen(client, FAILED)).isEqualTo(1));
				JsonNode entry = json(client.sync().lindex(FAILED, 0));
				assertThat(entry.get("exception").asString()).isEqualTo("java.lang.IllegalArgumentException");
				assertThat(entry.get("error").isString()).isTrue();
				assertThat(entry.get("error").asString()).isEmpty();
			}
		});
	}

}
