package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.DelayedStore;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueRedis;

/**
 * The application of the dashboard's tests: auto-configuration only, no component scan;
 * plus helpers that seed Resque's data the way Ruby and the pool write it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DashboardTestApplication {

	/** A class name that would be markup if it were not escaped. */
	public static final String HOSTILE_CLASS = "<img src=x onerror=alert(1)>Evil";

	/** A queue name that would be script if it were not escaped. */
	public static final String HOSTILE_QUEUE = "<script>alert('q')</script>";

	/** An exception name that breaks out of an attribute if it is not escaped. */
	public static final String HOSTILE_EXCEPTION = "\"><svg onload=alert(2)>";

	private static StatefulRedisConnection<String, byte[]> connection;

	/**
	 * Runs commands of a test's own on the test Redis, with Lettuce's sync API on a
	 * connection of the tests (keys as text, values as bytes), never through the
	 * library's.
	 * @param <T> the answer's type
	 * @param commands the commands
	 * @return their answer
	 */
	public static synchronized <T> T redis(Function<RedisCommands<String, byte[]>, T> commands) {
		if (connection == null || !connection.isOpen()) {
			connection = RedisClient.create(TestRedis.shared().url())
				.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		}
		return commands.apply(connection.sync());
	}

	/**
	 * Records a failure as Ruby's Redis backend does.
	 * @param redis the Redis
	 * @param queue its queue
	 * @param className its job class
	 * @param exception its exception
	 * @param args its arguments, JSON
	 */
	public static void fail(ResqueRedis redis, String queue, String className, String exception, String args) {
		FailureRecord record = new FailureRecord("2026/01/02 03:04:05 UTC", JobPayload.render(className, args),
				exception, "boom <b>" + className + "</b>", List.of("app/jobs/x.rb:1:in `perform'", "<iframe src=x>"),
				"host:1:" + queue, queue, null);
		byte[] json = record.toJson().getBytes(StandardCharsets.UTF_8);
		redis((c) -> c.rpush(redis.keys().failed(), json));
	}

	/**
	 * Delays a job as resque-scheduler does.
	 * @param redis the Redis
	 * @param second the epoch second it is due
	 * @param queue its queue
	 * @param className its class
	 * @param args its arguments
	 */
	public static void delay(ResqueRedis redis, long second, String queue, String className, String args) {
		redis.delayed().delay(second, DelayedStore.item(queue, className, args));
	}

	/**
	 * Reads every key with its DUMP, to tell whether anything changed.
	 * @param redis the Redis
	 * @return key to hex dump
	 */
	public static Map<String, String> snapshot(ResqueRedis redis) {
		Map<String, String> all = new TreeMap<>();
		List<String> keys = redis((c) -> c.keys("*"));
		for (String key : keys) {
			byte[] dump = redis((c) -> c.dump(key));
			all.put(key, (dump != null) ? java.util.HexFormat.of().formatHex(dump) : "");
		}
		return all;
	}

}
