package io.github.resquepool.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-benchmark} (Debian/Ubuntu package {@code redis-tools}), when it is on the
 * PATH: the ceiling Redis itself allows on this machine for the pool's per-job command.
 */
final class RedisBenchmarkTool {

	private final Path binary;

	private final String version;

	private RedisBenchmarkTool(Path binary, String version) {
		this.binary = binary;
		this.version = version;
	}

	static RedisBenchmarkTool find() {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-benchmark");
			if (Files.isExecutable(candidate)) {
				return new RedisBenchmarkTool(candidate, versionOf(candidate));
			}
		}
		return new RedisBenchmarkTool(null, null);
	}

	private static String versionOf(Path binary) {
		try {
			Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			p.waitFor(5, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException ex) {
			return "unknown version";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown version";
		}
	}

	boolean isPresent() {
		return this.binary != null;
	}

	String describe() {
		return this.version + " at " + this.binary;
	}

	/**
	 * Runs one benchmark of a command.
	 * @param port the Redis port
	 * @param requests the number of requests
	 * @param clients parallel connections
	 * @param pipeline requests in flight per connection
	 * @param command the command and its arguments ({@code __rand_int__} is replaced per
	 * request)
	 * @return requests per second
	 */
	Optional<Double> run(int port, int requests, int clients, int pipeline, List<String> command) {
		List<String> args = new ArrayList<>(
				List.of(this.binary.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-n",
						String.valueOf(requests), "-c", String.valueOf(clients), "-P", String.valueOf(pipeline), "-r",
						// -r is read with atoi: more than Integer.MAX_VALUE overflows to
						// 0 and every __rand_int__ is 0.
						"2000000000", "--csv"));
		args.addAll(command);
		try {
			Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(300, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				return Optional.empty();
			}
			for (String line : out.split("\r?\n")) {
				String[] fields = line.split("\",\"");
				if (fields.length >= 2 && !line.startsWith("\"test\"")) {
					return Optional.of(Double.parseDouble(fields[1].replace("\"", "")));
				}
			}
			System.err.println("redis-benchmark printed no result: " + out);
			return Optional.empty();
		}
		catch (IOException | NumberFormatException ex) {
			System.err.println("redis-benchmark failed: " + ex);
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
