package io.github.resquepool.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input corpus again, mixed into a stream of good jobs worked by several workers
 * at once: every bad element becomes a failure entry, every good job runs exactly once,
 * no worker dies.
 */
@ExtendWith(RedisExtension.class)
class BadInputUnderLoadTests {

	private static final int GOOD = 2000;

	private static final int ROUNDS = 20;

	@Test
	void badPayloadsAmongGoodOnesBecomeFailuresWhileEveryGoodJobRunsOnce(TestRedis redis) {
		List<byte[]> corpus = corpus();
		try (StatefulRedisConnection<String, String> client = redis.connect();
				StatefulRedisConnection<byte[], byte[]> raw = redis.connectBytes()) {
			client.sync().sadd("resque:queues", "mixed");
			int bad = 0;
			for (int i = 0; i < GOOD; i++) {
				client.sync().rpush("resque:queue:mixed", "{\"class\":\"Load::Good\",\"args\":[" + i + "]}");
				if (i % (GOOD / (ROUNDS * corpus.size())) == 0 && bad < ROUNDS * corpus.size()) {
					raw.sync().rpush(utf8("resque:queue:mixed"), corpus.get(bad % corpus.size()));
					bad++;
				}
			}
			assertThat(bad).isEqualTo(ROUNDS * corpus.size());
		}
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.groups.load.queues=mixed", "resque.pool.groups.load.count=8",
					"resque.pool.poll-interval=100ms")
			.withBean(LoadJobs.class)
			.run((context) -> {
				LoadJobs jobs = context.getBean(LoadJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					await().atMost(Duration.ofSeconds(60))
						.pollInterval(Duration.ofMillis(100))
						.until(() -> client.sync().llen("resque:queue:mixed") == 0
								&& String.valueOf(GOOD + ROUNDS * corpus.size())
									.equals(client.sync().get("resque:stat:processed")));
					assertThat(jobs.runs).hasSize(GOOD).allSatisfy((n, count) -> assertThat(count.get()).isEqualTo(1));
					assertThat(client.sync().llen("resque:failed")).isEqualTo((long) ROUNDS * corpus.size());
					assertThat(client.sync().get("resque:stat:failed"))
						.isEqualTo(String.valueOf(ROUNDS * corpus.size()));
					PoolStatus status = context.getBean(ResquePool.class).status();
					assertThat(status.groups().get(0).live()).isEqualTo(8);
					assertThat(status.groups().get(0).crashes()).isZero();
					assertThat(client.sync().smembers("resque:workers")).hasSize(8);
				}
			});
	}

	private static List<byte[]> corpus() {
		List<byte[]> corpus = new ArrayList<>();
		corpus.add(utf8("not json"));
		corpus.add(utf8("{\"args\":[1]}"));
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":{\"a\":1}}"));
		corpus.add(utf8("{\"class\":\"java.lang.Runtime\",\"args\":[]}"));
		corpus.add(new byte[] { '{', '"', 'c', 'l', 'a', 's', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' });
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":[" + "[".repeat(2000) + "]".repeat(2000) + "]}"));
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":[\"" + "x".repeat(2 * 1024 * 1024) + "\"]}"));
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":[\"seven\"]}"));
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":[1,2]}"));
		corpus.add(utf8("{\"class\":\"Load::Good\",\"args\":[1.5]}"));
		return corpus;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The good job: counts its runs. */
	static class LoadJobs {

		final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

		@ResqueJob("Load::Good")
		void good(long n) {
			this.runs.computeIfAbsent(n, (k) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
