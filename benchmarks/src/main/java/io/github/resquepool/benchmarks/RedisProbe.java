package io.github.resquepool.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resquepool.embedded.RespClient;

/**
 * The runner's view of Redis, over one plain connection of its own: FLUSHALL, INFO
 * sections, command statistics, pipelined pre-filling of a queue, and the server
 * process's CPU time.
 */
final class RedisProbe implements AutoCloseable {

	private final int port;

	private final RespClient client;

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
		this.client = new RespClient("127.0.0.1", port);
		if (db != 0) {
			this.client.command("SELECT", String.valueOf(db));
		}
		this.pid = Long.parseLong(info("server").get("process_id"));
	}

	int port() {
		return this.port;
	}

	Object command(String... args) {
		return this.client.command(args);
	}

	void flushAll() {
		command("FLUSHALL");
		command("CONFIG", "RESETSTAT");
	}

	/**
	 * @param section an INFO section
	 * @return its fields
	 */
	Map<String, String> info(String section) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : ((String) command("INFO", section)).split("\r?\n")) {
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
		command("SADD", "resque:queues", queue);
		byte[] value = payload.getBytes(StandardCharsets.UTF_8);
		push("resque:queue:" + queue, (i) -> value, count);
	}

	/**
	 * RPUSHes {@code count} values to a list of this probe's database, 1,000 values per
	 * RPUSH, all commands pipelined on one connection.
	 * @param list the list's key
	 * @param values the i-th value
	 * @param count how many
	 */
	void push(String list, java.util.function.IntFunction<byte[]> values, int count) {
		byte[] key = list.getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
			InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
			if (this.db != 0) {
				writeArrayHeader(out, 2);
				writeBulk(out, "SELECT".getBytes(StandardCharsets.US_ASCII));
				writeBulk(out, String.valueOf(this.db).getBytes(StandardCharsets.US_ASCII));
				out.flush();
				int c;
				while ((c = in.read()) != '\n') {
					if (c < 0) {
						throw new IOException("SELECT got no answer");
					}
				}
			}
			int commands = 0;
			for (int done = 0; done < count; done += 1000) {
				int n = Math.min(1000, count - done);
				writeArrayHeader(out, 2 + n);
				writeBulk(out, "RPUSH".getBytes(StandardCharsets.US_ASCII));
				writeBulk(out, key);
				for (int i = 0; i < n; i++) {
					writeBulk(out, values.apply(done + i));
				}
				commands++;
			}
			out.flush();
			for (int i = 0; i < commands; i++) {
				int type = in.read();
				StringBuilder line = new StringBuilder();
				int c;
				while ((c = in.read()) != '\r') {
					line.append((char) c);
				}
				in.read();
				if (type != ':') {
					throw new IllegalStateException("RPUSH answered " + (char) type + line);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param queue a queue
	 * @return its length
	 */
	long length(String queue) {
		return (Long) command("LLEN", "resque:queue:" + queue);
	}

	private static void writeArrayHeader(OutputStream out, int n) throws IOException {
		out.write(('*' + Integer.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
	}

	private static void writeBulk(OutputStream out, byte[] value) throws IOException {
		out.write(('$' + Integer.toString(value.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(value);
		out.write('\r');
		out.write('\n');
	}

	@Override
	public void close() {
		this.client.close();
	}

	static List<String> list(Object reply) {
		@SuppressWarnings("unchecked")
		List<Object> values = (List<Object>) reply;
		return values.stream().map(String::valueOf).toList();
	}

}
