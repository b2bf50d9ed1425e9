package io.github.resquepool.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link ResqueClient#enqueueAt} and {@link ResqueClient#removeDelayed} write and
 * remove, compared key by key and byte for byte with what real resque-scheduler 5.0.0
 * wrote on Ruby 3.1 ({@code interop/captured/scheduler/}). The captured bucket second is
 * replaced by one a day ahead, so that the captures stay in the future.
 */
@ExtendWith(RedisExtension.class)
class DelayedContractTests {

	private static final String CAPTURED_BUCKET = "1796248800";

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.enabled=false");

	private final long bucket = Instant.now().getEpochSecond() + 86_400;

	@Test
	void everyArgumentCaseIsWrittenByteForByteAsRubyWroteIt(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				for (Map.Entry<String, Object[]> argCase : RubyCaptures.argCases().entrySet()) {
					raw.sync().flushdb();
					client.enqueueAt("sched", Instant.ofEpochSecond(this.bucket), "Interop::Sched", argCase.getValue());
					String item = RubyCaptures
						.read(RubyCaptures.SCHEDULER.resolve("enqueue_at/" + argCase.getKey() + ".item.json"));
					assertThat(lrange(raw, "resque:delayed:" + this.bucket)).as(argCase.getKey()).containsExactly(item);
					assertThat(RubyCaptures.dump(raw)).as(argCase.getKey())
						.isEqualTo(shifted(RubyCaptures.snapshot(
								RubyCaptures.SCHEDULER.resolve("enqueue_at/" + argCase.getKey() + ".keys.json"))));
				}
			}
		});
	}

	@Test
	void utf8IsStoredRawNotEscaped(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class)
				.enqueueAt("sched", Instant.ofEpochSecond(this.bucket), "Interop::Sched", "é/\u001f");
			try (StatefulRedisConnection<byte[], byte[]> raw = redis.connectBytes()) {
				byte[] stored = raw.sync()
					.lindex(("resque:delayed:" + this.bucket).getBytes(StandardCharsets.UTF_8), 0);
				assertThat(stored)
					.isEqualTo("{\"class\":\"Interop::Sched\",\"args\":[\"é/\\u001f\"],\"queue\":\"sched\"}"
						.getBytes(StandardCharsets.UTF_8));
			}
		});
	}

	@Test
	void enqueueAtWithAnotherQueueAndAStringClassMatchesRuby(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class)
				.enqueueAt("other_queue", Instant.ofEpochSecond(this.bucket), "Java::Side::Job", 1);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(RubyCaptures.dump(raw)).isEqualTo(shifted(RubyCaptures
					.snapshot(RubyCaptures.SCHEDULER.resolve("enqueue_at_with_queue/string_class.keys.json"))));
			}
		});
	}

	@Test
	void aFractionalTimeGoesIntoTheBucketOfItsWholeSecond(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class)
				.enqueueAt("sched", Instant.ofEpochSecond(this.bucket, 750_000_000), "Interop::Sched", "fractional");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().zrangeWithScores("resque:delayed_queue_schedule", 0, -1))
					.containsExactly(ScoredValue.just(this.bucket, Long.toString(this.bucket)));
				assertThat(smembers(raw,
						"resque:timestamps:{\"class\":\"Interop::Sched\",\"args\":[\"fractional\"],\"queue\":\"sched\"}"))
					.containsExactly("delayed:" + this.bucket);
			}
		});
	}

	@Test
	void aTimeAlreadyDueIsEnqueuedAtOnceAsRubyDoes(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class)
				.enqueueAt("sched", Instant.now().minusSeconds(60), "Interop::Sched", "past");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(RubyCaptures.dump(raw))
					.isEqualTo(RubyCaptures.snapshot(RubyCaptures.SCHEDULER.resolve("enqueue_at/past_time.keys.json")));
			}
		});
	}

	@Test
	void enqueueInDelaysByTheDurationFromNow(TestRedis redis) {
		this.runner.run((context) -> {
			long before = Instant.now().getEpochSecond();
			context.getBean(ResqueClient.class)
				.enqueueIn("sched", Duration.ofSeconds(600), "Interop::Sched", 42, "EUR", Map.of("a", 1));
			long after = Instant.now().getEpochSecond();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				List<String> buckets = raw.sync().zrange("resque:delayed_queue_schedule", 0, -1);
				assertThat(buckets).hasSize(1);
				assertThat(Long.parseLong(buckets.get(0))).isBetween(before + 600, after + 600);
				assertThat(lrange(raw, "resque:delayed:" + buckets.get(0))).containsExactly(
						RubyCaptures.read(RubyCaptures.SCHEDULER.resolve("enqueue_at/mixed_invoice.item.json")));
			}
		});
	}

	@Test
	void removeDelayedRemovesWhatRubysRemoveDelayedRemoves(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				load(raw, RubyCaptures.snapshot(RubyCaptures.SCHEDULER.resolve("remove_delayed/before.keys.json")));
				// the results Ruby returned on the same data
				// (remove_delayed/results.json)
				assertThat(client.removeDelayed("sched", "Interop::Sched", 3, "z")).isZero();
				assertThat(client.removeDelayed("sched", "Interop::Sched", 10000000.0)).isZero();
				assertThat(client.removeDelayed("sched", "Interop::Sched", 1, "x")).isEqualTo(2);
				assertThat(client.removeDelayed("other_queue", "Interop::Sched", 1, "x")).isEqualTo(1);
				assertThat(client.removeDelayed("sched", "Interop::Sched", 2, "y")).isEqualTo(1);
				Map<String, Object> after = RubyCaptures
					.snapshot(RubyCaptures.SCHEDULER.resolve("remove_delayed/after.keys.json"));
				// Ruby leaves the emptied bucket 1796248860 in the zset until it comes
				// due; Java removes it
				after.put("resque:delayed_queue_schedule", List.of(CAPTURED_BUCKET, CAPTURED_BUCKET));
				assertThat(RubyCaptures.dump(raw)).isEqualTo(after);
			}
		});
	}

	@Test
	void removeDelayedFindsItemsOfRubysEnqueueAtByTheirBytes(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				load(raw,
						shifted(RubyCaptures.snapshot(RubyCaptures.SCHEDULER.resolve("enqueue_at/floats.keys.json"))));
				Object[] floats = RubyCaptures.argCases().get("floats");
				assertThat(context.getBean(ResqueClient.class).removeDelayed("sched", "Interop::Sched", floats))
					.isEqualTo(1);
				assertThat(RubyCaptures.dump(raw)).isEmpty();
			}
		});
	}

	@Test
	void argumentsRubyCannotWriteAreRefused() {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.enqueueAt("sched", Instant.now().plusSeconds(60), "A", Double.NaN));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.enqueueAt("sched", Instant.now().plusSeconds(60), "A", "\ud800"));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.enqueueAt("a,b", Instant.now().plusSeconds(60), "A"));
		});
	}

	private Map<String, Object> shifted(Map<String, Object> snapshot) {
		Map<String, Object> result = new TreeMap<>();
		snapshot.forEach((key, value) -> result.put(key.replace(CAPTURED_BUCKET, Long.toString(this.bucket)),
				(value instanceof List<?> list) ? list.stream()
					.map((v) -> ((String) v).replace(CAPTURED_BUCKET, Long.toString(this.bucket)))
					.toList() : value));
		return result;
	}

	@SuppressWarnings("unchecked")
	static void load(StatefulRedisConnection<String, String> raw, Map<String, Object> snapshot) {
		snapshot.forEach((key, value) -> {
			List<String> values = (List<String>) value;
			if (key.endsWith("delayed_queue_schedule")) {
				for (int i = 0; i < values.size(); i += 2) {
					raw.sync().zadd(key, Double.parseDouble(values.get(i + 1)), values.get(i));
				}
			}
			else if (key.contains(":timestamps:")) {
				values.forEach((v) -> raw.sync().sadd(key, v));
			}
			else {
				values.forEach((v) -> raw.sync().rpush(key, v));
			}
		});
	}

}
