package io.github.resquepool.resque;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				resque.workers().register("dead-a:1:p", STARTED, List.of("dead-a:1-1:mail", "dead-a:1-2:mail"));
				resque.workers().register("dead-b:2:p", STARTED, List.of("dead-b:2-1:mail"));
				resque.pools().beat("dead-a:1:p", "{}", List.of("dead-a:1-1:mail", "dead-a:1-2:mail"));
				resque.pools().beat("dead-b:2:p", "{}", List.of("dead-b:2-1:mail"));
				client.sync().set("resque:worker:dead-a:1-1:mail", bad);
				client.sync().set("resque:worker:dead-a:1-2:mail", GOOD);
				client.sync().set("resque:worker:dead-b:2-1:mail", GOOD);

				Recovery first = resque.pools().recover("dead-a:1:p", Duration.ZERO, "2026/12/01 10:00:05 UTC", true);
				Recovery second = resque.pools().recover("dead-b:2:p", Duration.ZERO, "2026/12/01 10:00:05 UTC", true);

				assertThat(first.workers()).isEqualTo(2);
				assertThat(first.jobs()).extracting(Recovery.Job::workerId)
					.containsExactlyInAnyOrder("dead-a:1-1:mail", "dead-a:1-2:mail");
				assertThat(second.workers()).isEqualTo(1);
				assertThat(client.sync().lrange("resque:queue:mail", 0, -1))
					.isEqualTo(List.of("{\"class\":\"Mail\",\"args\":[1]}", "{\"class\":\"Mail\",\"args\":[1]}"));
				assertThat(client.sync().zrange("resque:resquepool:pools", 0, -1)).isEqualTo(List.of());
				assertThat(client.sync().scard("resque:workers")).isEqualTo(0L);
				assertDirtyExit(client.sync(), bad, "dead-a:1-1:mail");
			}
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "bad-queue-escape", "lone-surrogate-payload" })
	void pruningRecordsAnUnreadableStatusAndPrunesTheOtherWorkers(String kind, TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String bad = unreadable(kind);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				resque.workers().register("gone:1:p", STARTED, List.of("gone:1-1:mail", "gone:1-2:mail"));
				client.sync().set("resque:worker:gone:1-1:mail", bad);
				client.sync().set("resque:worker:gone:1-2:mail", GOOD);
				Map<String, String> beats = resque.workers().heartbeats();

				WorkerStore.Pruned pruned = resque.workers().prune(beats, Duration.ofSeconds(30), "Resque::DirtyExit");

				assertThat(pruned.workers()).containsExactlyInAnyOrder("gone:1-1:mail", "gone:1-2:mail");
				assertThat(client.sync().llen("resque:failed")).isEqualTo(2L);
				assertThat(client.sync().scard("resque:workers")).isEqualTo(0L);
			}
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "bad-queue-escape", "lone-surrogate-payload" })
	void aRequeueOfAnUnreadableStatusRecordsIt(String kind, TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String bad = unreadable(kind);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().set("resque:worker:host:1-1:mail", bad);
				String sha = client.sync()
					.eval("return redis.sha1hex(ARGV[1])", ScriptOutputType.VALUE, new String[0], bad);

				assertThat(resque.jobs().requeue("host:1-1:mail", sha, null)).isTrue();

				assertThat(client.sync().exists("resque:worker:host:1-1:mail")).isEqualTo(0L);
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1L);
			}
		});
	}

	private static void assertDirtyExit(RedisCommands<String, String> client, String raw, String workerId) {
		List<String> failed = client.lrange("resque:failed", 0, -1);
		assertThat(failed).hasSize(1);
		JsonNode entry = Json.readTree(failed.get(0));
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
