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

import static org.awaitility.Awaitility.await;

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

	static void eventually(Duration timeout, Runnable assertion) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion::run);
	}

}
