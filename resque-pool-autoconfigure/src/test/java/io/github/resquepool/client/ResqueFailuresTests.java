package io.github.resquepool.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ResqueFailures} compares an entry byte for byte before it changes it, as the
 * dashboard does: an entry that is not valid UTF-8 is never replaced by a changed copy.
 */
@ExtendWith(RedisExtension.class)
class ResqueFailuresTests {

	private static final String ENTRY = "{\"failed_at\":\"2026/01/02 03:04:05 UTC\",\"payload\":{\"class\":\"Mailer\","
			+ "\"args\":[1]},\"exception\":\"RuntimeError\",\"error\":\"boom \",\"backtrace\":[],"
			+ "\"worker\":\"host:1:mail\",\"queue\":\"mail\"}";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	private static byte[] notUtf8() {
		String text = ENTRY.replace("boom ", "boom \u0000");
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		// The NUL becomes a byte that is no UTF-8 at all.
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == 0) {
				bytes[i] = (byte) 0xff;
			}
		}
		return bytes;
	}

	@Test
	void retryOfAnEntryThatIsNotUtf8IsRefusedAndChangesNothing(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			byte[] invalid = notUtf8();
			try (StatefulRedisConnection<String, String> client = redis.connect();
					StatefulRedisConnection<byte[], byte[]> bytes = redis.connectBytes()) {
				bytes.sync().rpush("resque:failed".getBytes(StandardCharsets.UTF_8), invalid);
				assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(ResqueFailures.class).retry(0))
					.withMessageContaining("UTF-8");
				byte[] stored = bytes.sync().lindex("resque:failed".getBytes(StandardCharsets.UTF_8), 0);
				assertThat(stored).isEqualTo(invalid);
				assertThat(client.sync().llen("resque:queue:mail")).isEqualTo(0L);
			}
		});
	}

	@Test
	void removeTakesOutTheEntryAtTheIndexEvenWhenItIsNotUtf8(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect();
					StatefulRedisConnection<byte[], byte[]> bytes = redis.connectBytes()) {
				bytes.sync()
					.rpush("resque:failed".getBytes(StandardCharsets.UTF_8), "first".getBytes(StandardCharsets.UTF_8),
							notUtf8(), "third".getBytes(StandardCharsets.UTF_8));
				context.getBean(ResqueFailures.class).remove(1);
				assertThat(client.sync().lrange("resque:failed", 0, -1)).isEqualTo(List.of("first", "third"));
				assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(ResqueFailures.class).remove(5));
			}
		});
	}

	@Test
	void retryIfSameAndRemoveIfSameActOnlyOnTheEntryRead(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueFailures failures = context.getBean(ResqueFailures.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String other = ENTRY.replace("Mailer", "Other");
				client.sync().rpush("resque:failed", other, ENTRY);
				byte[] read = ENTRY.getBytes(StandardCharsets.UTF_8);
				// Read at index 1, then the list shifted: index 1 holds another entry.
				client.sync().lset("resque:failed", 0, ENTRY);
				client.sync().lset("resque:failed", 1, other);
				assertThat(failures.retryIfSame(1, read)).isFalse();
				assertThat(failures.removeIfSame(1, read)).isFalse();
				assertThat(client.sync().llen("resque:queue:mail")).isEqualTo(0L);
				assertThat(failures.count()).isEqualTo(2);

				assertThat(failures.retryIfSame(0, read)).isTrue();
				assertThat(client.sync().lrange("resque:queue:mail", 0, -1))
					.isEqualTo(List.of("{\"class\":\"Mailer\",\"args\":[1]}"));
				assertThat(failures.get(0).retriedAt()).isNotNull();
				// Marked, it is no longer the entry read.
				assertThat(failures.removeIfSame(0, read)).isFalse();
				assertThat(failures.removeIfSame(1, other.getBytes(StandardCharsets.UTF_8))).isTrue();
				assertThat(failures.count()).isEqualTo(1);
				assertThatIllegalArgumentException().isThrownBy(() -> failures.retryIfSame(0, notUtf8()))
					.withMessageContaining("UTF-8");
			}
		});
	}

}
