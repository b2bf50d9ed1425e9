package io.github.resquepool.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a server's merged standard output and error on a daemon thread
 * ({@code redis-server-<port>-output}) so that the pipe never fills up, logs each line at
 * debug level and keeps the last 50 for failure messages.
 */
final class ServerOutput extends Thread {

	private static final Logger log = LoggerFactory.getLogger(ServerOutput.class);

	private static final int LINES_KEPT = 50;

	private final InputStream stream;

	private final int port;

	private final Deque<String> lines = new ArrayDeque<>();

	private ServerOutput(InputStream stream, int port) {
		super("redis-server-" + port + "-output");
		this.stream = stream;
		this.port = port;
		setDaemon(true);
	}

	/**
	 * Starts reading the output of a server process.
	 * @param process the server
	 * @param port its port, for the thread's name and the log
	 * @return the running reader
	 */
	static ServerOutput of(Process process, int port) {
		ServerOutput output = new ServerOutput(process.getInputStream(), port);
		output.start();
		return output;
	}

	@Override
	public void run() {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(this.stream, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				log.debug("redis-server:{} | {}", this.port, line);
				synchronized (this.lines) {
					if (this.lines.size() == LINES_KEPT) {
						this.lines.removeFirst();
					}
					this.lines.addLast(line);
				}
			}
		}
		catch (IOException ex) {
			// the process ended and its pipe was closed
		}
	}

	/**
	 * Waits until the process's output ended.
	 * @param timeout how long at most
	 */
	void awaitEnd(Duration timeout) {
		try {
			join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Returns the last lines.
	 * @return the lines, or {@code (no output)}
	 */
	String text() {
		synchronized (this.lines) {
			return this.lines.isEmpty() ? "(no output)" : String.join("\n", this.lines);
		}
	}

}
