package io.github.resquepool.embedded;

import java.time.Duration;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Tells when a freshly started server is ready: it answers {@code PING} (or
 * {@code LOADING}, when it is still loading its data set), and the process answering is
 * the one started, not another server that already held the port.
 */
final class ReadinessProbe {

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private ReadinessProbe() {
	}

	/**
	 * Waits until the server answers.
	 * @param server the server process
	 * @param output its output, for failure messages
	 * @param port its port
	 * @param timeout how long to wait at most
	 * @return whether it answered {@code LOADING} (then it is still loading)
	 * @throws PortInUseException when the port is taken by another program or server
	 * @throws IllegalStateException when the server exits or does not answer in time; the
	 * message includes its output
	 */
	static boolean awaitReady(Process server, ServerOutput output, int port, Duration timeout) {
		return untilReachable(timeout).withDetail(() -> "Its output:\n" + output.text())
			.untilPresent("Redis server on port " + port + " to answer PING", () -> probe(server, output, port));
	}

	/**
	 * Returns a wait that takes a server refusing connections, not answering in time or
	 * answering with an error (such as {@code LOADING}) as "not yet".
	 * @param timeout how long to wait at most
	 * @return the wait
	 */
	static Eventually untilReachable(Duration timeout) {
		return Eventually.within(timeout).ignoring(RedisException.class);
	}

	/**
	 * One attempt: whether the server is loading, or null when it is not listening yet.
	 */
	private static Boolean probe(Process server, ServerOutput output, int port) {
		if (!server.isAlive()) {
			output.awaitEnd(Duration.ofSeconds(1));
			String text = output.text();
			String message = "Redis server on port " + port + " exited with code " + server.exitValue()
					+ " during startup. Its output:\n" + text;
			if (text.contains("Address in use") || text.contains("Address already in use")) {
				throw new PortInUseException(message);
			}
			throw new IllegalStateException(message);
		}
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(EmbeddedRedisServer.HOST, port,
				PROBE_TIMEOUT)) {
			boolean loading = false;
			try {
				if (!"PONG".equals(connection.sync().ping())) {
					return null;
				}
			}
			catch (RedisCommandExecutionException ex) {
				if (!ex.getMessage().startsWith("LOADING")) {
					throw ex;
				}
				loading = true; // listening, and INFO answers while loading
			}
			String pid = RedisInfo.field(connection.sync().info("server"), "process_id");
			if (pid == null || Long.parseLong(pid) == server.pid()) {
				return loading;
			}
			throw new PortInUseException("Port " + port + " is already used by another Redis server (pid " + pid
					+ "); the embedded one could not bind it.");
		}
	}

}
