package io.github.resquepool.contract;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.RubyTime;

import static io.github.resquepool.contract.ContractSupport.FAILED;
import static io.github.resquepool.contract.ContractSupport.QUEUES;
import static io.github.resquepool.contract.ContractSupport.exists;
import static io.github.resquepool.contract.ContractSupport.json;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ResqueFailures}: retry, remove and clear with the effect of
 * {@code Resque::Failure::Redis} and resque-web, on entries Ruby wrote (wire contract
 * section 10).
 */
@ExtendWith(RedisExtension.class)
class FailuresApiContractTests {

	private static final String RETRIED_AT = "^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+$";

	private final ApplicationContextRunner runner = ContractSupport.runner();

	/**
	 * A Ruby-written entry (the contract's example shape) for a job of the test handlers.
	 */
	private static String rubyEntry(String payload, String queue) {
		return "{\"failed_at\":\"2026/11/22 14:34:41 UTC\",\"payload\":" + payload + ",\"exception\":\"ArgumentError\","
				+ "\"error\":\"Contract::Record failed (args=[\\\"é\\\"])\",\"backtrace\":[\"<file>:80:in `perform'\"],"
				+ "\"worker\":\"vm:11458:" + queue + "\",\"queue\":\"" + queue + "\"}";
	}

	@Test
	void retryMarksTheEntryAndEnqueuesOnlyClassAndArgsWhichAWorkerThenRuns(TestRedis redis) {
		String payload = "{\"class\":\"Contract::Record\",\"args\":[\"é\"],\"id\":\"j-1\",\"queued_by\":\"ruby\"}";
		String entry = rubyEntry(payload, "retryq");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
			client.sync().set("resque:pause-all-workers", "true");
		}
		this.runner.withPropertyValues("resque.pool.groups.main.queues=retryq", "resque.pool.groups.main.count=1")
			.run((context) -> {
				ResqueFailures failures = context.getBean(ResqueFailures.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					failures.retry(0);

					assertThat(llen(client, FAILED)).isEqualTo(1);
					String marked = client.sync().lindex(FAILED, 0);
					assertThat(marked).startsWith(entry.substring(0, entry.length() - 1) + ",\"retried_at\":\"");
					JsonNode markedJson = json(marked);
					assertThat(markedJson.get("retried_at").asString()).matches(RETRIED_AT);
					assertThat(RubyTime.parse(markedJson.get("retried_at").asString())).isPresent();
					assertThat(lrange(client, "resque:queue:retryq"))
						.containsExactly("{\"class\":\"Contract::Record\",\"args\":[\"é\"]}");
					assertThat(smembers(client, QUEUES)).contains("retryq");

					client.sync().del("resque:pause-all-workers");
					ContractJobs jobs = context.getBean(ContractJobs.class);
					eventually(() -> assertThat(jobs.records).containsExactly("é"));
					assertThat(llen(client, FAILED)).isEqualTo(1);
				}
			});
	}

	@Test
	void retryKeepsNumbersAsRubyWritesThemInTheEntryAndTheNewPayload(TestRedis redis) {
		// Ruby decodes 1795358091.5 to a Float and encodes it back as 1795358091.5
		String payload = "{\"class\":\"A\",\"args\":[1795358091.5,12345678.25,10000000.0],\"enqueued_at\":1795358091.5}";
		String entry = rubyEntry(payload, "numbers");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			context.getBean(ResqueFailures.class).retry(0);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(client.sync().lindex(FAILED, 0))
					.startsWith(entry.substring(0, entry.length() - 1) + ",\"retried_at\":\"");
				assertThat(lrange(client, "resque:queue:numbers"))
					.containsExactly("{\"class\":\"A\",\"args\":[1795358091.5,12345678.25,10000000.0]}");
			}
		});
	}

	@Test
	void retryKeepsKeysOfTheEntryItDoesNotKnow(TestRedis redis) {
		// Ruby decodes the whole entry, sets retried_at and encodes it again: other keys
		// stay
		String entry = rubyEntry("{\"class\":\"A\",\"args\":[1]}", "extra").replaceFirst("\\}$",
				",\"hostname\":\"vm\",\"note\":{\"by\":\"plugin\"}}");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			context.getBean(ResqueFailures.class).retry(0);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String marked = client.sync().lindex(FAILED, 0);
				assertThat(marked).startsWith(entry.substring(0, entry.length() - 1) + ",\"retried_at\":\"");
				assertThat(json(marked).get("note")).isEqualTo(json("{\"by\":\"plugin\"}"));
			}
		});
	}

	@Test
	void retryOfAPayloadWithoutArgsEnqueuesAnEmptyArray(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, rubyEntry("{\"class\":\"Archive\"}", "noargs"));
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			context.getBean(ResqueFailures.class).retry(0);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(lrange(client, "resque:queue:noargs"))
					.containsExactly("{\"class\":\"Archive\",\"args\":[]}");
			}
		});
	}

	@Test
	void retryOfAnEntryWithoutQueueIsRefusedAndChangesNothing(TestRedis redis) {
		String entry = "{\"failed_at\":\"2026/11/22 14:34:41 UTC\",\"payload\":{\"class\":\"A\",\"args\":[]},"
				+ "\"exception\":\"E\",\"error\":\"m\",\"backtrace\":[],\"worker\":\"h:1:q\"}";
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(ResqueFailures.class).retry(0));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(lrange(client, FAILED)).containsExactly(entry);
				assertThat(smembers(client, QUEUES)).isEmpty();
			}
		});
	}

	@Test
	void readsResque2EntriesWithAZonelessRetriedAt(TestRedis redis) {
		String entry = rubyEntry("{\"class\":\"A\",\"args\":[1]}", "q").replaceFirst("\\}$",
				",\"retried_at\":\"2026/11/22 14:34:51\"}");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			ResqueFailures failures = context.getBean(ResqueFailures.class);
			assertThat(failures.count()).isEqualTo(1);
			FailureRecord record = failures.get(0);
			assertThat(record.retriedAt()).isEqualTo("2026/11/22 14:34:51");
			assertThat(RubyTime.parse(record.retriedAt())).isPresent();
			assertThat(record.worker()).isEqualTo("vm:11458:q");
			assertThat(record.jobClass()).contains("A");
			assertThat(failures.list(0, 10)).hasSize(1);
		});
	}

	@Test
	void readsTheContractsRubyExampleEntry(TestRedis redis) {
		String example = "{\"failed_at\":\"2026/11/22 14:34:41 UTC\",\"payload\":{\"class\":\"HarnessJobs::Fail\","
				+ "\"args\":[\"boom\"]},\"exception\":\"ArgumentError\",\"error\":\"HarnessJobs::Fail always fails "
				+ "(args=[\\\"boom\\\"])\",\"backtrace\":[\"<file>:80:in `perform'\"],\"worker\":\"vm:11458:e2e\","
				+ "\"queue\":\"e2e\",\"retried_at\":\"2026/11/22 14:34:51 UTC\"}";
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, example);
			client.sync().rpush(FAILED, "not json at all");
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			ResqueFailures failures = context.getBean(ResqueFailures.class);
			List<FailureRecord> records = failures.list(0, 10);
			assertThat(records).hasSize(2);
			FailureRecord first = records.get(0);
			assertThat(first.exception()).isEqualTo("ArgumentError");
			assertThat(first.error()).isEqualTo("HarnessJobs::Fail always fails (args=[\"boom\"])");
			assertThat(first.backtrace()).containsExactly("<file>:80:in `perform'");
			assertThat(first.queue()).isEqualTo("e2e");
			assertThat(first.retriedAt()).isEqualTo("2026/11/22 14:34:51 UTC");
			assertThat(first.toJson()).isEqualTo(example);
			// an unreadable entry comes back with its raw text, not as an exception
			assertThat(records.get(1).exception()).isNull();
			assertThat(records.get(1).payload()).isEqualTo("not json at all");
		});
	}

	@Test
	void retryingAgainReplacesRetriedAtInPlace(TestRedis redis) {
		String entry = rubyEntry("{\"class\":\"A\",\"args\":[1]}", "again").replaceFirst("\\}$",
				",\"retried_at\":\"2020/01/01 00:00:00 UTC\"}");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, entry);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			context.getBean(ResqueFailures.class).retry(0);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String marked = client.sync().lindex(FAILED, 0);
				assertThat(marked)
					.startsWith(entry.substring(0, entry.indexOf(",\"retried_at\"")) + ",\"retried_at\":\"");
				assertThat(marked).doesNotContain("2020/01/01");
				assertThat(json(marked).get("retried_at").asString()).matches(RETRIED_AT);
				assertThat(lrange(client, "resque:queue:again")).containsExactly("{\"class\":\"A\",\"args\":[1]}");
			}
		});
	}

	@Test
	void removeSetsTheEntryToEmptyThenRemovesOneEmptyStringSoLaterIndexesShift(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			for (String queue : List.of("q0", "q1", "q2")) {
				client.sync().rpush(FAILED, rubyEntry("{\"class\":\"A\",\"args\":[]}", queue));
			}
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			ResqueFailures failures = context.getBean(ResqueFailures.class);
			failures.remove(1);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(lrange(client, FAILED)).containsExactly(rubyEntry("{\"class\":\"A\",\"args\":[]}", "q0"),
						rubyEntry("{\"class\":\"A\",\"args\":[]}", "q2"));
			}
			assertThat(failures.get(1).queue()).isEqualTo("q2");
		});
	}

	@Test
	void clearDeletesTheFailedList(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, rubyEntry("{\"class\":\"A\",\"args\":[]}", "q0"));
			client.sync().rpush(FAILED, rubyEntry("{\"class\":\"A\",\"args\":[]}", "q1"));
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			ResqueFailures failures = context.getBean(ResqueFailures.class);
			failures.clear();
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(exists(client, FAILED)).isFalse();
			}
			assertThat(failures.count()).isZero();
		});
	}

	@Test
	void clearRetriedRemovesOnlyRetriedEntries(TestRedis redis) {
		String plain = rubyEntry("{\"class\":\"A\",\"args\":[]}", "keep");
		String retried = rubyEntry("{\"class\":\"A\",\"args\":[]}", "drop").replaceFirst("\\}$",
				",\"retried_at\":\"2026/11/22 14:34:51 UTC\"}");
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, retried);
			client.sync().rpush(FAILED, plain);
			client.sync().rpush(FAILED, retried);
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			assertThat(context.getBean(ResqueFailures.class).clearRetried()).isEqualTo(2);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(lrange(client, FAILED)).containsExactly(plain);
			}
		});
	}

	@Test
	void retryAllRequeuesEveryEntryAlreadyRetriedOnesIncluded(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().rpush(FAILED, rubyEntry("{\"class\":\"A\",\"args\":[1]}", "all"));
			client.sync()
				.rpush(FAILED, rubyEntry("{\"class\":\"A\",\"args\":[2]}", "all").replaceFirst("\\}$",
						",\"retried_at\":\"2026/11/22 14:34:51 UTC\"}"));
		}
		this.runner.withPropertyValues("resque.pool.enabled=false").run((context) -> {
			context.getBean(ResqueFailures.class).retryAll();
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(lrange(client, "resque:queue:all")).containsExactly("{\"class\":\"A\",\"args\":[1]}",
						"{\"class\":\"A\",\"args\":[2]}");
				assertThat(llen(client, FAILED)).isEqualTo(2);
				for (String entry : lrange(client, FAILED)) {
					assertThat(json(entry).get("retried_at").asString()).matches(RETRIED_AT);
				}
			}
		});
	}

	@Test
	void failureWrittenByAWorkerIsRetriedAndRunsAgain(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.main.queues=again", "resque.pool.groups.main.count=1")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					ContractSupport.push(client, "again", ContractSupport.payload("Contract::Fail", "[\"x\"]"));
					eventually(() -> assertThat(llen(client, FAILED)).isEqualTo(1));
					context.getBean(ResqueFailures.class).retry(0);
					eventually(Duration.ofSeconds(5), () -> assertThat(llen(client, FAILED)).isEqualTo(2));
					assertThat(json(client.sync().lindex(FAILED, 0)).has("retried_at")).isTrue();
					assertThat(json(client.sync().lindex(FAILED, 1)).has("retried_at")).isFalse();
				}
			});
	}

}
