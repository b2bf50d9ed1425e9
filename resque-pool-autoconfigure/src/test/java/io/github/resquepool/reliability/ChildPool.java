package io.github.resquepool.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.resquepool.embedded.TestRedis;

/**
 * A {@link PoolProcess} running as a child JVM of the test, on loopback only, its output in
 * {@code target/reliability/<name>.log}. Every wait is bounded; {@link #close()} kills it.
 */
final class ChildPool implements AutoCloseable {

	static final Path LOG_DIR = Path.of("target", "reliability");

	private static final Duration LIFETIME = Duration.ofSeconds(90);

	private final String name;

	private final Process process;

	private final Path log;

	private volatile String poolId;

	private ChildPool(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a child pool; it is not ready before {@link #awaitReady(Duration)} returns.
	 * @param name the name of its log file
	 * @param redis the Redis it works on
	 * @param properties {@code key=value} settings, passed as {@code --key=value}
	 * @return the child
	 */
	static ChildPool start(String name, TestRedis redis, String... properties) {
		return start(name, redis.host(), redis.port(), properties);
	}

	/**
	 * Starts a child pool; it is not ready before {@link #awaitReady(Duration)} returns.
	 * @param name the name of its log file
	 * @param host the host of the Redis it works on
	 * @param port its port
	 * @param properties {@code key=value} settings, passed as {@code --key=value}
	 * @return the child
	 */
	static ChildPool start(String name, String host, int port, String... properties) {
		String java = ProcessHandle.current().info().command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Xshare:auto", "-D" + PoolProcess.PARENT + "=" + ProcessHandle.current().pid(),
				"-D" + PoolProcess.LIFETIME + "=" + LIFETIME.toSeconds(), "-cp", System.getProperty("java.class.path"),
				PoolProcess.class.getName()));
		command.add("--spring.data.redis.host=" + host);
		command.add("--spring.data.redis.port=" + port);
		for (String property : properties) {
			command.add("--" + property);
		}
		try {
			Files.createDirectories(LOG_DIR);
			Path log = LOG_DIR.resolve(name + ".log");
			Files.deleteIfExists(log);
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			process.getOutputStream().close();
			return new ChildPool(name, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start child pool " + name, ex);
		}
	}

	/**
	 * Waits until the pool runs (its {@code READY} line).
	 * @param timeout the longest wait
	 * @return this child
	 */
	ChildPool awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : lines()) {
				if (line.startsWith("READY ")) {
					this.poolId = line.split(" ")[2];
					return this;
				}
			}
			if (!this.process.isAlive()) {
				throw new AssertionError("child pool " + this.name + " exited with " + this.process.exitValue()
						+ " before it was ready; its output:\n" + output());
			}
			sleep(25);
		}
		throw new AssertionError("child pool " + this.name + " not ready within " + timeout.toSeconds()
				+ " s; its output:\n" + output());
	}

	/** Kills the JVM with SIGKILL ({@code kill -9}) and waits until it is gone. */
	void kill() {
		this.process.destroyForcibly();
		awaitExit(Duration.ofSeconds(10));
	}

	/**
	 * Sends SIGTERM and waits until the JVM exits.
	 * @param timeout the longest wait (the JVM is killed after it)
	 * @return how long it took to exit
	 */
	Duration terminate(Duration timeout) {
		long start = System.nanoTime();
		this.process.destroy();
		awaitExit(timeout);
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private void awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
				throw new AssertionError("child pool " + this.name + " did not exit within " + timeout.toSeconds()
						+ " s; killed it. Its output:\n" + output());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	int exitValue() {
		return this.process.exitValue();
	}

	long pid() {
		return this.process.pid();
	}

	/** @return the pool id it printed when ready */
	String poolId() {
		return this.poolId;
	}

	/**
	 * @return the prefix of every worker id of this JVM, {@code <host>:<pid>-}
	 */
	String workerIdPrefix() {
		String id = this.poolId;
		return id.substring(0, id.lastIndexOf(':')) + "-";
	}

	/** @return its output so far */
	String output() {
		return String.join("\n", lines());
	}

	long count(String text) {
		return lines().stream().filter((line) -> line.contains(text)).count();
	}

	private List<String> lines() {
		try {
			return Files.exists(this.log) ? new String(Files.readAllBytes(this.log), StandardCharsets.UTF_8).lines().toList()
					: List.of();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public String toString() {
		return this.name + "[pid " + this.process.pid() + ", " + this.log + "]";
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

}
