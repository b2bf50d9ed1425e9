package io.github.resquepool.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.RespClient;
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
			try (RespClient raw = redis.client()) {
				for (Map.Entry<String, Object[]> argCase : RubyCaptures.argCases().entrySet()) {
					raw.command("FLUSHDB");
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
			try (RespClient raw = redis.client()) {
				byte[] stored = (byte[]) raw.command("LINDEX".getBytes(StandardCharsets.UTF_8),
						("resque:delayed:" + this.bucket).getBytes(StandardCharsets.UTF_8),
						"0".getBytes(StandardCharsets.UTF_8));
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
			try (RespClient raw = redis.client()) {
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
			try (RespClient raw = redis.client()) {
				assertThat(raw.command("ZRANGE", "resque:delayed_queue_schedule", "0", "-1", "WITHSCORES"))
					.isEqualTo(List.of(Long.toString(this.bucket), Long.toString(this.bucket)));
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
			try (RespClient raw = redis.client()) {
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
			try (RespClient raw = redis.client()) {
				@SuppressWarnings("unchecked")
				List<String> buckets = (List<String>) raw.command("ZRANGE", "resque:delayed_queue_schedule", "0", "-1");
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
			try (RespClient raw = redis.client()) {
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
			try (RespClient raw = redis.client()) {
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
	static void load(RespClient raw, Map<String, Object> snapshot) {
		snapshot.forEach((key, value) -> {
			List<String> values = (List<String>) value;
			if (key.endsWith("delayed_queue_schedule")) {
				for (int i = 0; i < values.size(); i += 2) {
					raw.command("ZADD", key, values.get(i + 1), values.get(i));
				}
			}
			else if (key.contains(":timestamps:")) {
				values.forEach((v) -> raw.command("SADD", key, v));
			}
			else {
				values.forEach((v) -> raw.command("RPUSH", key, v));
			}
		});
	}

}
