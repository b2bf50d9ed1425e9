package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@code redis-server} process, from its start until it answers, with the
 * reader of its output.
 *
 * @param config the configuration it runs with
 * @param child the process
 * @param output the reader of its output
 * @param sawLoading whether it answered {@code LOADING} at first (then it is still
 * loading its data set)
 */
record ServerProcess(ServerConfig config, ChildProcess child, ServerOutput output, boolean sawLoading) {

	private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static final int FREE_PORT_ATTEMPTS = 5;

	/**
	 * Starts a server and waits until it answers; on port {@code 0} it tries up to 5 free
	 * ports, as another program may take a free port before Redis binds it.
	 * @param config the configuration
	 * @return the running server, whose {@link #config()} has the port it runs on
	 * @throws IllegalStateException when it does not start
	 */
	static ServerProcess start(ServerConfig config) {
		if (config.port() != 0) {
			return startOrCleanUp(config);
		}
		PortInUseException lastConflict = null;
		for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
			try {
				return startOrCleanUp(config.withPort(freePort()));
			}
			catch (PortInUseException ex) {
				lastConflict = ex;
			}
		}
		throw lastConflict;
	}

	private static ServerProcess startOrCleanUp(ServerConfig config) {
		try {
			return start(config, List.of());
		}
		catch (RuntimeException ex) {
			config.deleteSentinelConfig();
			throw ex;
		}
	}

	/**
	 * Starts a server on the configuration's port and waits until it answers.
	 * @param config the configuration
	 * @param onceArgs arguments for this start only
	 * @return the running server
	 * @throws IllegalStateException when it does not start; the message includes its
	 * output
	 */
	static ServerProcess start(ServerConfig config, List<String> onceArgs) {
		Path binary = RedisBinary.path();
		ProcessBuilder builder = new ProcessBuilder(config.command(binary, onceArgs))
			.directory(binary.getParent().toFile())
			.redirectErrorStream(true);
		ChildProcess child;
		try {
			child = ChildProcess.start(builder, ChildProcess.OnJvmExit.TERMINATE);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run the Redis server binary " + binary + " on "
					+ RedisBinary.platformDescription() + ": " + ex.getMessage(), ex);
		}
		ServerOutput output = ServerOutput.of(child.process(), config.port());
		try {
			boolean sawLoading = ReadinessProbe.awaitReady(child.process(), output, config.port(), STARTUP_TIMEOUT);
			log.debug("Started embedded Redis {} on port {} (pid {}){}", EmbeddedRedisServer.REDIS_VERSION,
					config.port(), child.pid(), config.role());
			return new ServerProcess(config, child, output, sawLoading);
		}
		catch (RuntimeException ex) {
			child.terminate(EmbeddedRedisServer.STOP_TIMEOUT);
			throw ex;
		}
	}

	/** Returns a TCP port that was free on the loopback interface a moment ago. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot find a free loopback port", ex);
		}
	}

}
