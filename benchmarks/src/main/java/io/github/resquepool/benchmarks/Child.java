package io.github.resquepool.benchmarks;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resquepool.benchmarks.child.Control;
import io.github.resquepool.embedded.ChildJvm;

/**
 * A child JVM of the runner (a resque-pool or a Jesque process), a {@link ChildJvm}
 * started with the runner's own {@code java} and class path, driven through its standard
 * input; its protocol lines are read from the log file that keeps everything it prints.
 * Every child still alive when the runner exits is killed by {@link ChildJvm}'s shutdown
 * hook.
 */
final class Child implements AutoCloseable {

	private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

	private final String name;

	private final ChildJvm jvm;

	private final ChildJvm.LineReader lines;

	private final Deque<String[]> events = new ArrayDeque<>();

	private Child(String name, ChildJvm jvm) {
		this.name = name;
		this.jvm = jvm;
		this.lines = jvm.lineReader();
	}

	/**
	 * Starts a child JVM.
	 * @param name a name for logs and messages
	 * @param logDir where its output goes
	 * @param jvmArgs JVM options
	 * @param mainClass the main class
	 * @param args program arguments
	 * @return the running child
	 */
	static Child start(String name, Path logDir, List<String> jvmArgs, Class<?> mainClass, List<String> args) {
		try {
			ChildJvm jvm = ChildJvm.builder(mainClass)
				.name(name)
				.java(Path.of(javaCommand()))
				.jvmOptions(jvmArgs.toArray(String[]::new))
				.args(args.toArray(String[]::new))
				.logDir(logDir)
				.keepInputOpen()
				.start();
			LIVE.add(jvm);
			return new Child(name, jvm);
		}
		catch (UncheckedIOException ex) {
			throw new IllegalStateException("cannot start " + name + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return the process ids of the children alive now
	 */
	static long[] livePids() {
		return LIVE.stream().filter(ChildJvm::isAlive).mapToLong(ChildJvm::pid).toArray();
	}

	/**
	 * @return the {@code java} of this JVM
	 */
	static String javaCommand() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/**
	 * @return the process id
	 */
	long pid() {
		return this.jvm.pid();
	}

	/**
	 * @return the name given at start
	 */
	String name() {
		return this.name;
	}

	/**
	 * Sends a command.
	 * @param command the command line
	 */
	void send(String command) {
		try {
			this.jvm.send(command);
		}
		catch (UncheckedIOException ex) {
			// the child is gone: the next await says so
		}
	}

	/**
	 * Sends a command and waits for its {@code ok}.
	 * @param command the command line
	 */
	void call(String command) {
		send(command);
		await("ok", Duration.ofSeconds(60));
	}

	/**
	 * Waits for the next protocol line of an event, leaving other events queued.
	 * @param event the event name
	 * @param timeout how long to wait
	 * @return the event's values (index 0 is the event name)
	 * @throws IllegalStateException when the child ends, reports an error, or the time is
	 * up
	 */
	synchronized String[] await(String event, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (Iterator<String[]> it = this.events.iterator(); it.hasNext();) {
				String[] e = it.next();
				if (e[0].equals(event)) {
					it.remove();
					return e;
				}
				if (e[0].equals("error")) {
					it.remove();
					throw failure("reported " + String.join(" ", e));
				}
			}
			long left = deadline - System.nanoTime();
			if (this.lines.atEnd()) {
				throw failure("ended (exit " + exitCode() + ") while waiting for '" + event + "'");
			}
			if (left <= 0) {
				throw failure("sent no '" + event + "' within " + timeout.toSeconds() + " s");
			}
			String line = this.lines.next(Duration.ofNanos(left));
			if (line != null && line.startsWith(Control.PREFIX)) {
				this.events.addLast(line.substring(Control.PREFIX.length()).split(" "));
			}
		}
	}

	private String exitCode() {
		try {
			return String.valueOf(this.jvm.waitFor(Duration.ofSeconds(2)));
		}
		catch (IllegalStateException ex) {
			return "?";
		}
	}

	private IllegalStateException failure(String what) {
		return new IllegalStateException("child " + this.name + " " + what + ". " + this.jvm.tail());
	}

	/** Kills the process with SIGKILL and waits until it is gone. */
	void kill9() {
		this.jvm.close();
		LIVE.remove(this.jvm);
	}

	/** Asks the child to exit; kills it when it has not within 20 seconds. */
	@Override
	public void close() {
		if (this.jvm.isAlive()) {
			send("exit");
			try {
				this.jvm.waitFor(Duration.ofSeconds(20));
			}
			catch (IllegalStateException ex) {
				// killed below
			}
		}
		this.jvm.close();
		LIVE.remove(this.jvm);
	}

}
