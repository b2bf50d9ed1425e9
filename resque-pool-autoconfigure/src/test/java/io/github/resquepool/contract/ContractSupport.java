package io.github.resquepool.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.api.StatefulRedisConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;

import static org.awaitility.Awaitility.await;

/**
 * Boots the real auto-configuration against the shared test Redis and reads raw Redis
 * state.
 */
final class ContractSupport {

	static final String WORKERS = "resque:workers";

	static final String QUEUES = "resque:queues";

	static final String HEARTBEATS = "resque:workers:heartbeat";

	static final String FAILED = "resque:failed";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private ContractSupport() {
	}

	/**
	 * A runner with the auto-configuration, {@link ContractJobs}, fast polling and a
	 * short drain.
	 * @return the runner
	 */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s")
			.withBean(ContractJobs.class);
	}

	static String payload(String className, String argsJson) {
		return "{\"class\":\"" + className + "\",\"args\":" + argsJson + "}";
	}

	/** Pushes a payload as Ruby's {@code Resque.push} does. */
	static void push(StatefulRedisConnection<String, String> client, String queue, String payload) {
		client.sync().sadd(QUEUES, queue);
		client.sync().rpush("resque:queue:" + queue, payload);
	}

	static void pushRecord(StatefulRedisConnection<String, String> client, String queue, String value) {
		push(client, queue, payload("Contract::Record", "[\"" + value + "\"]"));
	}

	static List<String> lrange(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().lrange(key, 0, -1);
	}

	static Set<String> smembers(StatefulRedisConnection<String, String> client, String key) {
		return new TreeSet<>(client.sync().smembers(key));
	}

	static long llen(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().llen(key);
	}

	static boolean exists(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().exists(key) == 1;
	}

	static String get(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().get(key);
	}

	/**
	 * @return Redis {@code TIME} in whole seconds
	 */
	static long redisSeconds(StatefulRedisConnection<String, String> client) {
		return Long.parseLong(client.sync().time().get(0));
	}

	/**
	 * @return the one worker id registered
	 */
	static String onlyWorker(StatefulRedisConnection<String, String> client) {
		Set<String> ids = smembers(client, WORKERS);
		if (ids.size() != 1) {
			throw new AssertionError("expected one registered worker, found " + ids);
		}
		return ids.iterator().next();
	}

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	/**
	 * The host part worker ids must have: what {@code gethostname(2)} returns, made
	 * URL-safe.
	 * @return the host name
	 */
	static String hostname() {
		try {
			String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
			return name.replaceAll("[^A-Za-z0-9._-]", "-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the kernel host name", ex);
		}
	}

	/** Checks that an assertion holds during the whole period. */
	static void during(Duration period, Runnable assertion) {
		await().during(period)
			.atMost(period.plusSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(assertion::run);
	}

}
