package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's data set, for fault injection: filled with many keys, saved to its data
 * folder, and loaded slowly after a restart, so that the server answers {@code LOADING}
 * for a while. Slow loading uses the hidden Redis 7 setting {@code key-load-delay} (the
 * number of <em>microseconds</em> the server sleeps after loading each key), with
 * {@code loading-process-events-interval-bytes 1024} so that the server answers clients
 * every KiB of RDB instead of every 2 MiB.
 */
final class DataSet {

	private static final Logger log = LoggerFactory.getLogger(DataSet.class);

	private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(60);

	private static final int FILL_BATCH = 500;

	private DataSet() {
	}

	/**
	 * Writes string keys {@code key:0} to {@code key:<keys-1>} into database 0, each
	 * value {@code valueBytes} bytes long, with {@code MSET} in batches.
	 */
	static void fill(String host, int port, int keys, int valueBytes) {
		if (keys < 0 || valueBytes < 1) {
			throw new IllegalArgumentException("keys must be >= 0 and valueBytes >= 1");
		}
		String padding = "v".repeat(valueBytes);
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(host, port, SAVE_TIMEOUT)) {
			for (int from = 0; from < keys; from += FILL_BATCH) {
				int to = Math.min(keys, from + FILL_BATCH);
				Map<String, String> batch = new LinkedHashMap<>();
				for (int i = from; i < to; i++) {
					batch.put("key:" + i, padding);
				}
				connection.sync().mset(batch);
			}
		}
	}

	/** Saves the data set ({@code SAVE}), for the next start to load. */
	static void save(String host, int port) {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(host, port, SAVE_TIMEOUT)) {
			connection.sync().save();
		}
	}

	/**
	 * Saves the data set if the server can; one still loading, for example, cannot, and
	 * then the RDB file on disk is the complete earlier one, which is kept.
	 */
	static void saveIfPossible(String host, int port) {
		try {
			save(host, port);
		}
		catch (RedisException ex) {
			log.debug("Redis on port {} did not save: {}", port, ex.getMessage());
		}
	}

	/** Returns the arguments of a start that loads slowly. */
	static List<String> arguments(int keyLoadDelayMicros) {
		if (keyLoadDelayMicros < 1) {
			throw new IllegalArgumentException("keyLoadDelayMicros must be >= 1");
		}
		return List.of("--key-load-delay", Integer.toString(keyLoadDelayMicros),
				"--loading-process-events-interval-bytes", "1024");
	}

	/** Fails when the server holds no keys: there would be nothing to load slowly. */
	static void requireKeys(String host, int port) {
		long keys;
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(host, port)) {
			keys = connection.sync().dbsize();
		}
		if (keys == 0) {
			throw new IllegalStateException("The Redis server on port " + port
					+ " holds no keys, so there is nothing to load slowly; fill(...) it first");
		}
	}

	/** Fails when the restarted server was never seen loading. */
	static void requireSeenLoading(boolean sawLoading, int port) {
		if (!sawLoading) {
			throw new IllegalStateException(
					"Redis on port " + port + " finished loading its data set before it could be"
							+ " seen loading; use more keys or a longer key-load delay");
		}
	}

	/** Tells whether the server is still loading ({@code loading:1} in {@code INFO}). */
	static boolean isLoading(String host, int port) {
		return "1".equals(RedisInfo.field(host, port, "persistence", "loading"));
	}

}
