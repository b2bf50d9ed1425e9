package io.github.resquepool.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;

/**
 * Redis-side helpers of the fault-injection suite: enqueue as Ruby does, read the records
 * of {@link RelJobs}, and find what is in flight.
 */
final class Rel {

	static final String QUEUE = "rel";

	static final String QUEUE_KEY = "resque:queue:" + QUEUE;

	static final String POOLS = "resque:resquepool:pools";

	private static boolean reported;

	private static final Pattern JOB_ID = Pattern.compile("\"args\":\\[\"([^\"]+)\"");

	private Rel() {
	}

	/**
	 * A pool in the test JVM: the auto-configuration and {@link RelJobs} on a Redis,
	 * working queue {@value #QUEUE} with fast polling and a short drain. At most one such
	 * context may run at a time (two pools in one JVM take each other for a restarted
	 * predecessor).
	 * @param host the Redis host
	 * @param port its port
	 * @param settings further {@code key=value} settings
	 * @return the runner
	 */
	static ApplicationContextRunner inProcessPool(String host, int port, String... settings) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + host, "spring.data.redis.port=" + port)
			.withPropertyValues(poolSettings(settings))
			.withBean(RelJobs.class, () -> new RelJobs(host, port));
	}

	/**
	 * @param settings {@code key=value} settings
	 * @return them after the common ones: queue {@value #QUEUE}, poll every 100 ms, drain
	 * 1 s
	 */
	static String[] poolSettings(String... settings) {
		List<String> all = new ArrayList<>(List.of("resque.pool.groups.g.queues=" + QUEUE,
				"resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=1s"));
		all.addAll(List.of(settings));
		return all.toArray(String[]::new);
	}

	/**
	 * Enqueues as Ruby's {@code Resque.push} (SADD {@code queues}, RPUSH; no wake-up
	 * message), all payloads in one RPUSH so that no worker sees only part of them.
	 */
	static void push(StatefulRedisConnection<String, String> client, List<String> payloads) {
		client.sync().sadd("resque:queues", QUEUE);
		client.sync().rpush(QUEUE_KEY, payloads.toArray(String[]::new));
	}

	static List<String> slowJobs(String prefix, int count, long millis) {
		List<String> payloads = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			payloads.add(RelJobs.payload(String.format("%s%02d", prefix, i), millis));
		}
		return payloads;
	}

	static String id(String payload) {
		Matcher matcher = JOB_ID.matcher(payload);
		if (!matcher.find()) {
			throw new IllegalArgumentException("no job id in " + payload);
		}
		return matcher.group(1);
	}

	static List<String> ids(List<String> payloads) {
		return payloads.stream().map(Rel::id).toList();
	}

	static List<String> list(StatefulRedisConnection<String, String> client, String key) {
		return client.sync().lrange(key, 0, -1);
	}

	/**
	 * @return how often each id occurs in a list
	 */
	static Map<String, Long> counts(List<String> ids) {
		Map<String, Long> counts = new TreeMap<>();
		ids.forEach((id) -> counts.merge(id, 1L, Long::sum));
		return counts;
	}

	/**
	 * The jobs recorded as in flight: every {@code worker:<id>} key (not
	 * {@code :started}) with the id of the job it holds.
	 * @param client a connection
	 * @return job id by worker id
	 */
	static Map<String, String> inFlight(StatefulRedisConnection<String, String> client) {
		Map<String, String> jobs = new TreeMap<>();
		for (String key : client.sync().keys("resque:worker:*")) {
			if (key.endsWith(":started")) {
				continue;
			}
			String status = client.sync().get(key);
			if (status != null) {
				jobs.put(key.substring("resque:worker:".length()), id(status));
			}
		}
		return jobs;
	}

	/**
	 * Every key name, set member, hash field and zset member of the namespace that
	 * mentions a text (such as a dead JVM's {@code <host>:<pid>} ).
	 */
	static List<String> traces(StatefulRedisConnection<String, String> client, String text) {
		List<String> found = new ArrayList<>();
		for (String key : new TreeSet<>(client.sync().keys("resque:*"))) {
			if (key.contains(text)) {
				found.add("key " + key);
			}
		}
		client.sync()
			.smembers("resque:workers")
			.stream()
			.filter((m) -> m.contains(text))
			.forEach((m) -> found.add("resque:workers member " + m));
		client.sync()
			.hkeys("resque:workers:heartbeat")
			.stream()
			.filter((m) -> m.contains(text))
			.forEach((m) -> found.add("resque:workers:heartbeat field " + m));
		client.sync()
			.zrange(POOLS, 0, -1)
			.stream()
			.filter((m) -> m.contains(text))
			.forEach((m) -> found.add(POOLS + " member " + m));
		return found;
	}

	/**
	 * Polls a condition every 20 ms; fails with the message when it is not met in time.
	 */
	static void await(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + timeout.toMillis() + " ms: " + message.get());
			}
			ChildPool.sleep(20);
		}
	}

	static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/**
	 * Prints a measured number, for the README, and appends it to
	 * {@code target/reliability/measurements.txt}.
	 */
	static synchronized void report(String what, Duration duration) {
		String line = String.format(Locale.ROOT, "[reliability] %s: %.2f s", what, seconds(duration));
		System.out.println(line);
		try {
			Files.createDirectories(ChildPool.LOG_DIR);
			Path file = ChildPool.LOG_DIR.resolve("measurements.txt");
			if (!reported) {
				Files.deleteIfExists(file);
				reported = true;
			}
			Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			// the number is printed anyway
		}
	}

}
