package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RespClient;
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

	static void push(RespClient client, String queue, String className, String arg) {
		client.command("SADD", "resque:queues", queue);
		client.command("RPUSH", "resque:queue:" + queue, "{\"class\":\"" + className + "\",\"args\":[" + arg + "]}");
	}

	@SuppressWarnings("unchecked")
	static List<String> list(RespClient client, String key) {
		return (List<String>) client.command("LRANGE", key, "0", "-1");
	}

	/**
	 * Waits until a pool's workers all wait for a job, and the wake-up they count on is
	 * armed: someone listens on the channel of {@code ResqueClient}'s enqueues.
	 */
	static void awaitIdleAndSubscribed(RespClient client, ResquePool pool, int workers) {
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
	static void awaitBlockingWaiters(RespClient client, int count) {
		eventually(Duration.ofSeconds(10),
				() -> assertThat(((String) client.command("CLIENT", "LIST")).lines()
					.filter((line) -> line.contains(" flags=b ") && line.contains(" cmd=blmove "))
					.count()).isGreaterThanOrEqualTo(count));
	}

	/** Waits until someone listens to keyspace events ({@code PSUBSCRIBE}). */
	static void awaitKeyspaceSubscription(RespClient client) {
		eventually(Duration.ofSeconds(10),
				() -> assertThat(((Number) client.command("PUBSUB", "NUMPAT")).longValue()).isPositive());
	}

	private static long numsub(RespClient client, String channel) {
		List<?> answer = (List<?>) client.command("PUBSUB", "NUMSUB", channel);
		return ((Number) answer.get(1)).longValue();
	}

}
