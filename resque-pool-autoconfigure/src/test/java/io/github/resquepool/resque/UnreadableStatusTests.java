package io.github.resquepool.resque;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.RespClient;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code worker:<id>} status that looks like one this pool wrote but holds an escape
 * Lua's JSON decoder refuses (anyone who can write to Redis can write one): recovery,
 * pruning and requeueing record it as a {@code Resque::DirtyExit} entry holding the raw
 * text and go on, with the other workers of the pool and with the next dead pool.
 */
@ExtendWith(RedisExtension.class)
class UnreadableStatusTests {

	private static final String STARTED = "2026-12-01 10:00:00 +0000";

	private static final String RUN_AT = "2026-12-01 10:00:01 +0000";

	private static final String GOOD = "{\"queue\":\"mail\",\"run_at\":\"" + RUN_AT
			+ "\",\"payload\":{\"class\":\"Mail\",\"args\":[1]}}";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "bad-queue-escape", "lone-surrogate-payload", "bad-payload-escape" })
	void recoveryRecordsAnUnreadableStatusAndGoesOnWithTheNextPool(String kind, TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String bad = unreadable(kind);
			try (RespClient client = redis.client()) {
				resque.workers().register("dead-a:1:p", STARTED, List.of("dead-a:1-1:mail", "dead-a:1-2:mail"));
				resque.workers().register("dead-b:2:p", STARTED, List.of("dead-b:2-1:mail"));
				resque.pools().beat("dead-a:1:p", "{}", List.of("dead-a:1-1:mail", "dead-a:1-2:mail"));
				resque.pools().beat("dead-b:2:p", "{}", List.of("dead-b:2-1:mail"));
				client.command("SET", "resque:worker:dead-a:1-1:mail", bad);
				client.command("SET", "resque:worker:dead-a:1-2:mail", GOOD);
				client.command("SET", "resque:worker:dead-b:2-1:mail", GOOD);

				Recovery first = resque.pools().recover("dead-a:1:p", Duration.ZERO, "2026/12/01 10:00:05 UTC", true);
				Recovery second = resque.pools().recover("dead-b:2:p", Duration.ZERO, "2026/12/01 10:00:05 UTC", true);

				assertThat(first.workers()).isEqualTo(2);
				assertThat(first.jobs()).extracting(Recovery.Job::workerId)
					.containsExactlyInAnyOrder("dead-a:1-1:mail", "dead-a:1-2:mail");
				assertThat(second.workers()).isEqualTo(1);
				assertThat(client.command("LRANGE", "resque:queue:mail", "0", "-1"))
					.isEqualTo(List.of("{\"class\":\"Mail\",\"args\":[1]}", "{\"class\":\"Mail\",\"args\":[1]}"));
				assertThat(client.command("ZRANGE", "resque:resquepool:pools", "0", "-1")).isEqualTo(List.of());
				assertThat(client.command("SCARD", "resque:workers")).isEqualTo(0L);
				assertDirtyExit(client, bad, "dead-a:1-1:mail");
			}
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "bad-queue-escape", "lone-surrogate-payload" })
	void pruningRecordsAnUnreadableStatusAndPrunesTheOtherWorkers(String kind, TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String bad = unreadable(kind);
			try (RespClient client = redis.client()) {
				resque.workers().register("gone:1:p", STARTED, List.of("gone:1-1:mail", "gone:1-2:mail"));
				client.command("SET", "resque:worker:gone:1-1:mail", bad);
				client.command("SET", "resque:worker:gone:1-2:mail", GOOD);
				Map<String, String> beats = resque.workers().heartbeats();

				WorkerStore.Pruned pruned = resque.workers().prune(beats, Duration.ofSeconds(30), "Resque::DirtyExit");

				assertThat(pruned.workers()).containsExactlyInAnyOrder("gone:1-1:mail", "gone:1-2:mail");
				assertThat(client.command("LLEN", "resque:failed")).isEqualTo(2L);
				assertThat(client.command("SCARD", "resque:workers")).isEqualTo(0L);
			}
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "bad-queue-escape", "lone-surrogate-payload" })
	void aRequeueOfAnUnreadableStatusRecordsIt(String kind, TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String bad = unreadable(kind);
			try (RespClient client = redis.client()) {
				client.command("SET", "resque:worker:host:1-1:mail", bad);
				String sha = (String) client.command("EVAL", "return redis.sha1hex(ARGV[1])", "0", bad);

				assertThat(resque.jobs().requeue("host:1-1:mail", sha, null)).isTrue();

				assertThat(client.command("EXISTS", "resque:worker:host:1-1:mail")).isEqualTo(0L);
				assertThat(client.command("LLEN", "resque:failed")).isEqualTo(1L);
			}
		});
	}

	private static void assertDirtyExit(RespClient client, String raw, String workerId) {
		List<?> failed = (List<?>) client.command("LRANGE", "resque:failed", "0", "-1");
		assertThat(failed).hasSize(1);
		JsonNode entry = Json.readTree((String) failed.get(0));
		assertThat(entry.get("exception").asString()).isEqualTo("Resque::DirtyExit");
		assertThat(entry.get("worker").asString()).isEqualTo(workerId);
		assertThat(entry.get("payload").asString()).as("the raw status").isEqualTo(raw);
	}

	private static String unreadable(String kind) {
		return switch (kind) {
			case "bad-queue-escape" ->
				"{\"queue\":\"ma\\xil\",\"run_at\":\"" + RUN_AT + "\",\"payload\":{\"class\":\"Mail\",\"args\":[1]}}";
			case "lone-surrogate-payload" ->
				"{\"queue\":\"mail\",\"run_at\":\"" + RUN_AT + "\",\"payload\":\"\\ud800\"}";
			case "bad-payload-escape" -> "{\"queue\":\"mail\",\"run_at\":\"" + RUN_AT + "\",\"payload\":\"ab\\qc\"}";
			default -> throw new IllegalArgumentException(kind);
		};
	}

}
