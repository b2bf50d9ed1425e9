package io.github.resquepool.benchmarks.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The line protocol between the benchmark runner and a child JVM: the runner writes
 * commands to the child's standard input, one a line; the child answers with lines
 * starting with {@value #PREFIX} on its standard output (everything else there is log
 * output). When its standard input closes (the runner died) the child halts, so no child
 * outlives the runner.
 */
public final class Control {

	/** Marks a protocol line on the child's standard output. */
	public static final String PREFIX = "@@ ";

	private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
			true, StandardCharsets.UTF_8);

	private static volatile boolean exiting;

	private Control() {
	}

	/**
	 * The child is exiting on the runner's request: the end of its input no longer halts
	 * it.
	 */
	public static void exiting() {
		exiting = true;
	}

	/**
	 * Writes one protocol line.
	 * @param event the event name
	 * @param values its values, separated by spaces
	 */
	public static void emit(String event, Object... values) {
		StringBuilder line = new StringBuilder(PREFIX).append(event);
		for (Object value : values) {
			line.append(' ').append(value);
		}
		synchronized (OUT) {
			OUT.println(line);
			OUT.flush();
		}
	}

	/**
	 * Reads commands from standard input on a daemon thread; halts the JVM when the input
	 * ends.
	 * @param handler receives each command line
	 */
	public static void serve(Consumer<String> handler) {
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
				String line;
				while (!exiting && (line = in.readLine()) != null) {
					if (line.isBlank()) {
						continue;
					}
					try {
						handler.accept(line.strip());
					}
					catch (RuntimeException ex) {
						emit("error", ex.toString().replace('\n', ' '));
					}
				}
			}
			catch (IOException ex) {
				// fall through: the runner is gone
			}
			if (!exiting) {
				Runtime.getRuntime().halt(3);
			}
		}, "bench-control");
		reader.setDaemon(true);
		reader.start();
	}

}
