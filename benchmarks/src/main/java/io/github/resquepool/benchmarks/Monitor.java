package io.github.resquepool.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the commands Redis executes through {@code MONITOR}: those sent by clients
 * (network round trips) apart from those run inside Lua scripts. {@code INFO stats}
 * {@code total_commands_processed} counts both together.
 */
final class Monitor implements AutoCloseable {

	private final Socket socket;

	private final Thread reader;

	private final Map<String, long[]> counts = new TreeMap<>();

	Monitor(int port) {
		try {
			this.socket = new Socket("127.0.0.1", port);
			OutputStream out = this.socket.getOutputStream();
			out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
			String ok = in.readLine();
			if (!"+OK".equals(ok)) {
				throw new IllegalStateException("MONITOR answered " + ok);
			}
			this.reader = new Thread(() -> read(in), "bench-monitor");
			this.reader.setDaemon(true);
			this.reader.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read(BufferedReader in) {
		try {
			String line;
			while ((line = in.readLine()) != null) {
				int bracket = line.indexOf("] \"");
				if (bracket < 0) {
					continue;
				}
				boolean script = line.substring(0, bracket).endsWith(" lua");
				int start = bracket + 3;
				int end = line.indexOf('"', start);
				String command = line.substring(start, Math.max(start, end)).toLowerCase(java.util.Locale.ROOT);
				synchronized (this.counts) {
					this.counts.computeIfAbsent(command, (c) -> new long[2])[script ? 1 : 0]++;
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	/**
	 * @return command to {sent by clients, run inside scripts}, without the runner's own
	 * INFO
	 */
	Map<String, long[]> stop() {
		close();
		try {
			this.reader.join(2000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (this.counts) {
			Map<String, long[]> result = new TreeMap<>(this.counts);
			result.remove("info");
			return result;
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
