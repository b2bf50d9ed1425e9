package io.github.resquepool.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resquepool.embedded.ChildJvm;
import io.github.resquepool.embedded.TestRedis;

/**
 * A {@link PoolProcess} running as a child JVM of the test ({@link ChildJvm}), on
 * loopback only, its output in {@code target/reliability/<name>-<test pid>-<n>.log}.
 * Every wait is bounded; {@link #close()} kills it.
 */
final class ChildPool implements AutoCloseable {

	static final Path LOG_DIR = Path.of("target", "reliability");

	private static final Duration LIFETIME = Duration.ofSeconds(90);

	private final String name;

	private final ChildJvm jvm;

	private volatile String poolId;

	private ChildPool(String name, ChildJvm jvm) {
		this.name = name;
		this.jvm = jvm;
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
		List<String> args = new ArrayList<>(
				List.of("--spring.data.redis.host=" + host, "--spring.data.redis.port=" + port));
		for (String property : properties) {
			args.add("--" + property);
		}
		ChildJvm jvm = ChildJvm.builder(PoolProcess.class)
			.name(name)
			.jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")
			.args(args.toArray(String[]::new))
			.lifetime(LIFETIME)
			.logDir(LOG_DIR)
			.start();
		return new ChildPool(name, jvm);
	}

	/**
	 * Waits until the pool runs (its {@code READY} line).
	 * @param timeout the longest wait
	 * @return this child
	 */
	ChildPool awaitReady(Duration timeout) {
		try {
			this.poolId = this.jvm.awaitLine("^READY ", timeout).split(" ")[2];
			return this;
		}
		catch (IllegalStateException ex) {
			String why = this.jvm.isAlive() ? "not ready within " + timeout.toSeconds() + " s"
					: "exited with " + exitValue() + " before it was ready";
			throw new AssertionError("child pool " + this.name + " " + why + "; its output:\n" + output(), ex);
		}
	}

	/** Kills the JVM with SIGKILL ({@code kill -9}) and waits until it is gone. */
	void kill() {
		try {
			this.jvm.kill();
		}
		catch (IllegalStateException ex) {
			throw new AssertionError(
					"child pool " + this.name + " did not exit after SIGKILL. Its output:\n" + output(), ex);
		}
	}

	/** Freezes the JVM ({@code SIGSTOP}); {@link #thaw()} or {@link #kill()} ends it. */
	void freeze() {
		this.jvm.freeze();
	}

	/** Lets a frozen JVM go on ({@code SIGCONT}). */
	void thaw() {
		this.jvm.thaw();
	}

	/**
	 * Sends SIGTERM and waits until the JVM exits.
	 * @param timeout the longest wait (the JVM is killed after it)
	 * @return how long it took to exit
	 */
	Duration terminate(Duration timeout) {
		long start = System.nanoTime();
		this.jvm.sigterm();
		try {
			this.jvm.waitFor(timeout);
		}
		catch (IllegalStateException ex) {
			this.jvm.close();
			throw new AssertionError("child pool " + this.name + " did not exit within " + timeout.toSeconds()
					+ " s; killed it. Its output:\n" + output(), ex);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	boolean isAlive() {
		return this.jvm.isAlive();
	}

	int exitValue() {
		return this.jvm.waitFor(Duration.ZERO);
	}

	long pid() {
		return this.jvm.pid();
	}

	/**
	 * @return the pool id it printed when ready
	 */
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

	/**
	 * @return its output so far
	 */
	String output() {
		return String.join("\n", lines());
	}

	long count(String text) {
		return lines().stream().filter((line) -> line.contains(text)).count();
	}

	private List<String> lines() {
		return this.jvm.log().lines().toList();
	}

	@Override
	public void close() {
		this.jvm.close();
	}

	@Override
	public String toString() {
		return this.name + "[pid " + this.jvm.pid() + ", " + this.jvm.logFile() + "]";
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
