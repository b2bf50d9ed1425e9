package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The store methods the dashboard reads and acts through, against a real Redis: failure
 * entries compared and changed byte for byte, a queue cleared only if it is one, worker
 * statuses and pool members, pruning under Ruby's lock, a page of the delayed queue in
 * one round trip, Resque's counters and {@code INFO}.
 */
@ExtendWith(RedisExtension.class)
class DashboardStoresTests {

	private static final byte[] FAILED = bytes("resque:failed");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	private void run(TestRedis redis, Consumer<Fixture> test) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect();
					StatefulRedisConnection<byte[], byte[]> bytes = redis.connectBytes()) {
				test.accept(new Fixture(context.getBean(ResqueRedis.class), client.sync(), bytes.sync()));
			}
		});
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] notUtf8(String text) {
		byte[] valid = bytes(text);
		byte[] invalid = new byte[valid.length + 1];
		System.arraycopy(valid, 0, invalid, 0, valid.length);
		invalid[valid.length] = (byte) 0xff;
		return invalid;
	}

	@Test
	void entriesReadsFailureEntriesByteForByte(TestRedis redis) {
		run(redis, (f) -> {
			byte[] invalid = notUtf8("{\"queue\":\"mail\"}");
			f.bytes.rpush(FAILED, bytes("{\"a\":1}"), invalid);
			assertThat(f.resque.failures().entries(0, -1)).hasSize(2).last().isEqualTo(invalid);
			assertThat(f.resque.failures().entries(5, 9)).isEmpty();
		});
	}

	@Test
	void retryIfSameMarksAndPushesOnlyTheEntryRead(TestRedis redis) {
		run(redis, (f) -> {
			f.client.rpush("resque:failed", "first", "second");
			assertThat(f.resque.failures().retryIfSame(0, bytes("second"), "marked", "mail", "{\"class\":\"A\"}"))
				.isFalse();
			assertThat(f.client.lrange("resque:failed", 0, -1)).isEqualTo(List.of("first", "second"));
			assertThat(f.client.exists("resque:queue:mail")).isEqualTo(0L);

			assertThat(f.resque.failures().retryIfSame(1, bytes("second"), "marked", "mail", "{\"class\":\"A\"}"))
				.isTrue();
			assertThat(f.client.lrange("resque:failed", 0, -1)).isEqualTo(List.of("first", "marked"));
			assertThat(f.client.lrange("resque:queue:mail", 0, -1)).isEqualTo(List.of("{\"class\":\"A\"}"));
			assertThat(f.client.smembers("resque:queues")).isEqualTo(Set.of("mail"));
		});
	}

	@Test
	void removeIfSameRemovesOnlyTheEntryReadEvenWhenItIsNotUtf8(TestRedis redis) {
		run(redis, (f) -> {
			byte[] invalid = notUtf8("second");
			f.bytes.rpush(FAILED, bytes("first"), invalid, bytes("third"));
			// Its text, decoded and encoded again, is not the entry.
			byte[] lossy = bytes(new String(invalid, StandardCharsets.UTF_8));
			assertThat(f.resque.failures().removeIfSame(1, lossy)).isFalse();
			assertThat(f.resque.failures().removeIfSame(0, invalid)).isFalse();
			assertThat(f.resque.failures().count()).isEqualTo(3);

			assertThat(f.resque.failures().removeIfSame(1, invalid)).isTrue();
			assertThat(f.client.lrange("resque:failed", 0, -1)).isEqualTo(List.of("first", "third"));
		});
	}

	@Test
	void theCountersReadZeroWhenAbsentOrNotANumber(TestRedis redis) {
		run(redis, (f) -> {
			assertThat(f.resque.jobs().processedStat()).isZero();
			assertThat(f.resque.failures().failedStat()).isZero();
			f.client.set("resque:stat:processed", "42");
			f.client.set("resque:stat:failed", "x");
			assertThat(f.resque.jobs().processedStat()).isEqualTo(42);
			assertThat(f.resque.failures().failedStat()).isZero();
		});
	}

	@Test
	void clearDeletesOnlyAQueueWithUnlink(TestRedis redis) {
		run(redis, (f) -> {
			f.resque.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
			f.resque.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
			f.client.set("resque:queue:settings", "not a queue");
			f.client.sadd("resque:queues", "emptied");
			long unlinks = calls(f.client, "unlink");

			assertThat(f.resque.queues().clear("mail")).isEqualTo(2);
			assertThat(calls(f.client, "unlink")).isEqualTo(unlinks + 1);
			assertThat(f.resque.queues().names()).containsExactly("emptied");
			assertThat(f.resque.queues().clear("emptied")).isZero();
			assertThat(f.resque.queues().names()).isEmpty();
			assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> f.resque.queues().clear("ghost"))
				.withMessageContaining("ghost");
			assertThatIllegalArgumentException().isThrownBy(() -> f.resque.queues().clear("settings"))
				.withMessageContaining("settings");
			assertThat(f.client.get("resque:queue:settings")).isEqualTo("not a queue");
		});
	}

	@Test
	void statusesReadsEveryWorkersStatusInOrder(TestRedis redis) {
		run(redis, (f) -> {
			f.client.set("resque:worker:b", "{\"queue\":\"mail\"}");
			f.client.set("resque:worker:c", "");
			assertThat(f.resque.workers().statuses(List.of("a", "b", "c"))).containsExactly(null,
					"{\"queue\":\"mail\"}", "");
			assertThat(f.resque.workers().statuses(List.of())).isEmpty();
		});
	}

	@Test
	void workersOfAPoolAreThoseItRegistered(TestRedis redis) {
		run(redis, (f) -> {
			f.resque.workers().register("pool-a", "2026-01-02 03:04:05 +0000", List.of("h:1:mail", "h:2:mail"));
			f.resque.workers().register("pool-b", "2026-01-02 03:04:05 +0000", List.of("h:3:mail"));
			assertThat(f.resque.pools().workers("pool-a")).containsExactlyInAnyOrder("h:1:mail", "h:2:mail");
			assertThat(f.resque.pools().workers("nobody")).isEmpty();
		});
	}

	@Test
	void pruneDeadTakesRubysLockThenPrunesOnlyExpiredWorkersOfNoLivePool(TestRedis redis) {
		run(redis, (f) -> {
			f.resque.workers().register("gone", "2026-01-02 03:04:05 +0000", List.of("h:1:mail", "h:2:mail"));
			f.resque.workers().register("alive", "2026-01-02 03:04:05 +0000", List.of("h:3:mail"));
			f.resque.pools().beat("alive", "{}", List.of("h:3:mail"));
			f.client.hset("resque:workers:heartbeat", Map.of("h:1:mail", "2020-01-01 00:00:00 +0000", "h:3:mail",
					"2020-01-01 00:00:00 +0000", "h:4:odd", "not a time"));
			f.client.sadd("resque:workers", "h:4:odd");

			var pruned = f.resque.workers()
				.pruneDead("test", Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1), "Dirty");

			assertThat(pruned).hasValueSatisfying((p) -> assertThat(p.workers()).containsExactly("h:1:mail"));
			assertThat(f.resque.workers().ids()).containsExactlyInAnyOrder("h:2:mail", "h:3:mail", "h:4:odd");
			assertThat(f.client.get("resque:pruning_dead_workers_in_progress")).isEqualTo("test");
			// Within the lock's time nobody prunes again, though h:2 is now dead too.
			f.client.hset("resque:workers:heartbeat", "h:2:mail", "2020-01-01 00:00:00 +0000");
			assertThat(f.resque.workers()
				.pruneDead("other", Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1), "Dirty"))
				.isEmpty();
			assertThat(f.resque.workers().ids()).contains("h:2:mail");
		});
	}

	@Test
	void aPageOfTheDelayedQueueIsOneRoundTrip(TestRedis redis) {
		run(redis, (f) -> {
			long due = Instant.now().plusSeconds(600).getEpochSecond();
			for (int i = 0; i < 12; i++) {
				f.resque.delayed().delay(due, DelayedStore.item("mail", "Later", "[" + i + "]"));
			}
			f.resque.delayed().delay(due + 1, DelayedStore.item("mail", "Later", "[99]"));
			f.resque.delayed().delay(due + 2, DelayedStore.item("mail", "Later", "[100]"));
			// Once before counting, so that the script is loaded.
			f.resque.delayed().page(0, 1, 1);
			long scripts = calls(f.client, "evalsha") + calls(f.client, "eval");
			long lrange = calls(f.client, "lrange");

			List<DelayedStore.BucketPage> page = f.resque.delayed().page(0, 2, 10);

			assertThat(page).extracting(DelayedStore.BucketPage::second).containsExactly(due, due + 1);
			assertThat(page.get(0).size()).isEqualTo(12);
			assertThat(page.get(0).items()).hasSize(10).first().asString().contains("[0]");
			assertThat(page.get(1).items()).singleElement().asString().contains("[99]");
			assertThat(page.get(0).due()).isEqualTo(Instant.ofEpochSecond(due));
			// One script call, which read both lists (Redis counts them too).
			assertThat(calls(f.client, "evalsha") + calls(f.client, "eval")).isEqualTo(scripts + 1);
			assertThat(calls(f.client, "lrange")).isEqualTo(lrange + 2);
			assertThat(f.resque.delayed().page(2, 5, 10)).extracting(DelayedStore.BucketPage::second)
				.containsExactly(due + 2);
			assertThat(f.resque.delayed().page(0, 0, 10)).isEmpty();
		});
	}

	@Test
	void holdsTellsWhetherABucketHoldsAnItem(TestRedis redis) {
		run(redis, (f) -> {
			long due = Instant.now().plusSeconds(600).getEpochSecond();
			String item = DelayedStore.item("mail", "Later", "[1]");
			f.resque.delayed().delay(due, item);
			assertThat(f.resque.delayed().holds(due, item)).isTrue();
			assertThat(f.resque.delayed().holds(due + 1, item)).isFalse();
			assertThat(f.resque.delayed().holds(due, DelayedStore.item("mail", "Later", "[2]"))).isFalse();
			f.client.set("resque:delayed:" + (due + 5), "not a list");
			assertThat(f.resque.delayed().holds(due + 5, item)).isFalse();
		});
	}

	@Test
	void infoReadsEveryFieldOfInfo(TestRedis redis) {
		run(redis,
				(f) -> assertThat(f.resque.server().info()).containsKey("redis_version")
					.containsKey("used_memory_human")
					.doesNotContainKey("# Server"));
	}

	@Test
	void timeoutIsTheCommandTimeout(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.command-timeout=7s")
			.run((context) -> assertThat(context.getBean(ResqueRedis.class).timeout())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	private static long calls(RedisCommands<String, String> client, String command) {
		String info = client.info("commandstats");
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private record Fixture(ResqueRedis resque, RedisCommands<String, String> client,
			RedisCommands<byte[], byte[]> bytes) {
	}

}
