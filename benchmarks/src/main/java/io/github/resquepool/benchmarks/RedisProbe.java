package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import io.github.resquepool.embedded.RedisConnections;

/**
 * The runner's view of Redis, over one Lettuce connection of its own: FLUSHALL, INFO
 * sections, command statistics, pipelined pre-filling of a queue (over a second
 * connection, opened for it), and the server process's CPU time.
 */
final class RedisProbe implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	/** RPUSH commands written between two flushes of a pre-fill. */
	private static final int PUSHES_PER_FLUSH = 100;

	/** How long a pre-fill's replies may take, all together. */
	private static final Duration PUSH_TIMEOUT = Duration.ofMinutes(2);

	private final int port;

	private final StatefulRedisConnection<String, String> connection;

	private final long pid;

	private final int db;

	RedisProbe(int port) {
		this(port, 0);
	}

	/**
	 * @param port the Redis port
	 * @param db the database this probe's commands and pre-fills go to
	 */
	RedisProbe(int port, int db) {
		this.port = port;
		this.db = db;
		this.connection = RedisConnections.open(HOST, port);
		if (db != 0) {
			this.connection.sync().select(db);
		}
		this.pid = Long.parseLong(info("server").get("process_id"));
	}

	int port() {
		return this.port;
	}

	/**
	 * Sends one command and waits for its reply: a status or bulk string as a
	 * {@link String}, an integer as a {@link Long}, an array as a {@link List} of those,
	 * a null bulk string or null array as {@code null}.
	 * @param args the command's name and arguments, for example {@code "LLEN", "q"}
	 * @return the reply
	 * @throws io.lettuce.core.RedisCommandExecutionException when Redis answers with an
	 * error
	 */
	Object command(String... args) {
		CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
			.addValues(Arrays.asList(args).subList(1, args.length));
		return this.connection.sync()
			.dispatch(CommandType.valueOf(args[0].toUpperCase(Locale.ROOT)), new Reply(), commandArgs);
	}

	void flushAll() {
		this.connection.sync().flushall();
		this.connection.sync().configResetstat();
	}

	/**
	 * @param section an INFO section
	 * @return its fields
	 */
	Map<String, String> info(String section) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : this.connection.sync().info(section).split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
			}
		}
		return fields;
	}

	long totalCommands() {
		return Long.parseLong(info("stats").get("total_commands_processed"));
	}

	int connectedClients() {
		return Integer.parseInt(info("clients").get("connected_clients"));
	}

	/**
	 * @return command name to {calls, microseconds} from INFO commandstats
	 */
	Map<String, long[]> commandStats() {
		Map<String, long[]> stats = new LinkedHashMap<>();
		info("commandstats").forEach((key, value) -> {
			if (key.startsWith("cmdstat_")) {
				long calls = 0;
				long usec = 0;
				for (String part : value.split(",")) {
					String[] kv = part.split("=");
					if (kv[0].equals("calls")) {
						calls = Long.parseLong(kv[1]);
					}
					else if (kv[0].equals("usec")) {
						usec = Long.parseLong(kv[1]);
					}
				}
				stats.put(key.substring(8), new long[] { calls, usec });
			}
		});
		return stats;
	}

	/**
	 * @param before an earlier {@link #commandStats()}
	 * @param after a later one
	 * @return the calls and microseconds in between, by command, busiest first
	 */
	static Map<String, long[]> delta(Map<String, long[]> before, Map<String, long[]> after) {
		Map<String, long[]> delta = new LinkedHashMap<>();
		after.entrySet().stream().map((e) -> {
			long[] b = before.getOrDefault(e.getKey(), new long[2]);
			return Map.entry(e.getKey(), new long[] { e.getValue()[0] - b[0], e.getValue()[1] - b[1] });
		})
			.filter((e) -> e.getValue()[0] > 0)
			.sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
			.forEach((e) -> delta.put(e.getKey(), e.getValue()));
		return delta;
	}

	/**
	 * @return user + system CPU seconds of the redis-server process so far
	 */
	double cpuSeconds() {
		return processCpuSeconds(this.pid);
	}

	static double processCpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	/**
	 * Pushes {@code count} copies of a payload to {@code resque:queue:<queue>} (and adds
	 * the queue to {@code resque:queues}), 1,000 values per RPUSH, all commands pipelined
	 * on one connection.
	 * @param queue the queue
	 * @param payload the payload
	 * @param count how many
	 */
	void prefill(String queue, String payload, int count) {
		this.connection.sync().sadd("resque:queues", queue);
		byte[] value = payload.getBytes(StandardCharsets.UTF_8);
		push("resque:queue:" + queue, (i) -> value, count);
	}

	/**
	 * RPUSHes {@code count} values to a list of this probe's database, 1,000 values per
	 * RPUSH, all commands pipelined on one connection: they are written in batches
	 * without waiting for a reply, and the replies are awaited at the end.
	 * @param list the list's key
	 * @param values the i-th value
	 * @param count how many
	 */
	void push(String list, IntFunction<byte[]> values, int count) {
		byte[] key = list.getBytes(StandardCharsets.UTF_8);
		try (StatefulRedisConnection<byte[], byte[]> pipeline = RedisConnections.openBytes(HOST, this.port)) {
			if (this.db != 0) {
				pipeline.sync().select(this.db);
			}
			// The timeout of a command starts when it is written to the buffer.
			pipeline.setTimeout(PUSH_TIMEOUT);
			pipeline.setAutoFlushCommands(false);
			RedisAsyncCommands<byte[], byte[]> async = pipeline.async();
			List<RedisFuture<Long>> replies = new ArrayList<>();
			for (int done = 0; done < count; done += 1000) {
				byte[][] batch = new byte[Math.min(1000, count - done)][];
				for (int i = 0; i < batch.length; i++) {
					batch[i] = values.apply(done + i);
				}
				replies.add(async.rpush(key, batch));
				if (replies.size() % PUSHES_PER_FLUSH == 0) {
					pipeline.flushCommands();
				}
			}
			pipeline.flushCommands();
			if (!LettuceFutures.awaitAll(PUSH_TIMEOUT, replies.toArray(new RedisFuture<?>[0]))) {
				throw new IllegalStateException("RPUSH to " + list + " got no reply within " + PUSH_TIMEOUT);
			}
		}
	}

	/**
	 * @param queue a queue
	 * @return its length
	 */
	long length(String queue) {
		return this.connection.sync().llen("resque:queue:" + queue);
	}

	@Override
	public void close() {
		this.connection.close();
	}

	static List<String> list(Object reply) {
		@SuppressWarnings("unchecked")
		List<Object> values = (List<Object>) reply;
		return values.stream().map(String::valueOf).toList();
	}

	/**
	 * One reply of any shape, built from Lettuce's decoder callbacks: Lettuce calls
	 * {@link #multi(int)} when an array starts and {@link #complete(int)} after every
	 * finished element with the number of arrays still open, so a finished array shows as
	 * a drop of that number. (Lettuce's own {@code ObjectOutput} takes only arrays.)
	 */
	private static final class Reply extends CommandOutput<String, String, Object> {

		private final Deque<List<Object>> open = new ArrayDeque<>();

		Reply() {
			super(StringCodec.UTF8, null);
		}

		@Override
		public void set(ByteBuffer bytes) {
			add((bytes != null) ? this.codec.decodeValue(bytes) : null);
		}

		@Override
		public void setSingle(ByteBuffer bytes) {
			set(bytes);
		}

		@Override
		public void set(long integer) {
			add(integer);
		}

		@Override
		public void multi(int count) {
			if (count < 0) {
				add(null);
				return;
			}
			List<Object> items = new ArrayList<>(count);
			add(items);
			this.open.push(items);
		}

		@Override
		public void complete(int depth) {
			if (depth < this.open.size()) {
				this.open.pop();
			}
		}

		private void add(Object value) {
			List<Object> parent = this.open.peek();
			if (parent != null) {
				parent.add(value);
			}
			else {
				this.output = value;
			}
		}

	}

}
