package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.worker.WorkerState;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the real auto-configuration against a real Redis for the pool tests.
 */
final class PoolTestSupport {

	private PoolTestSupport() {
	}

	static ApplicationContextRunner runner(TestRedis redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s")
			.withBean(TestJobs.class);
	}

	static void push(StatefulRedisConnection<String, String> client, String queue, String className, String arg) {
		client.sync().sadd("resque:queues", queue);
		client.sync().rpush("resque:queue:" + queue, "{\"class\":\"" + className + "\",\"args\":[" + arg + "]}");
	}

	static List<String> list(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().lrange(key, 0, -1);
	}

	/**
	 * Waits until a pool's workers all wait for a job, and the wake-up they count on is
	 * armed: someone listens on the channel of {@code ResqueClient}'s enqueues.
	 */
	static void awaitIdleAndSubscribed(StatefulRedisConnection<String, String> client, ResquePool pool, int workers) {
		eventually(Duration.ofSeconds(10), () -> {
			assertThat(pool.status().workers()).hasSize(workers)
				.allSatisfy((worker) -> assertThat(worker.state()).isEqualTo(WorkerState.IDLE));
			assertThat(numsub(client, "resque:resquepool:enqueued")).isPositive();
		});
	}

	/**
	 * Waits until as many blocking waiters as given are parked in {@code BLMOVE}, as
	 * {@code CLIENT LIST} shows them: blocked ({@code flags=b}) in that command.
	 */
	static void awaitBlockingWaiters(StatefulRedisConnection<String, String> client, int count) {
		eventually(Duration.ofSeconds(10),
				() -> assertThat(client.sync()
					.clientList()
					.lines()
					.filter((line) -> line.contains(" flags=b ") && line.contains(" cmd=blmove "))
					.count()).isGreaterThanOrEqualTo(count));
	}

	/** Waits until someone listens to keyspace events ({@code PSUBSCRIBE}). */
	static void awaitKeyspaceSubscription(StatefulRedisConnection<String, String> client) {
		eventually(Duration.ofSeconds(10), () -> assertThat(client.sync().pubsubNumpat()).isPositive());
	}

	private static long numsub(StatefulRedisConnection<String, String> client, String channel) {
		return client.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
	}

}
