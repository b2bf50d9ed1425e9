package io.github.resquepool.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.resquepool.benchmarks.child.Control;

/**
 * A child JVM of the runner (a resque-pool or a Jesque process): started with the runner's own
 * {@code java} and class path, driven through its standard input, its protocol lines collected
 * and everything it prints kept in a log file. Every child still alive when the runner exits is
 * killed by a shutdown hook.
 */
final class Child implements AutoCloseable {

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-children"));
	}

	private final String name;

	private final Process process;

	private final PrintWriter input;

	private final Path log;

	private final Deque<String[]> events = new ArrayDeque<>();

	private final Deque<String> tail = new ArrayDeque<>();

	private boolean ended;

	private Child(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.input = new PrintWriter(new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)), true);
		Thread reader = new Thread(this::read, "bench-child-" + name);
		reader.setDaemon(true);
		reader.start();
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
		List<String> command = new ArrayList<>();
		command.add(javaCommand());
		command.addAll(jvmArgs);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(args);
		try {
			Files.createDirectories(logDir);
			Path log = logDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
			Files.writeString(log, String.join(" ", command.stream().map((c) -> c.length() > 200 ? "<class path>" : c).toList()) + "\n");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			LIVE.add(process);
			return new Child(name, process, log);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start " + name + ": " + ex.getMessage(), ex);
		}
	}

	/** @return the process ids of the children alive now */
	static long[] livePids() {
		return LIVE.stream().filter(Process::isAlive).mapToLong(Process::pid).toArray();
	}

	/** @return the {@code java} of this JVM */
	static String javaCommand() {
		return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private void read() {
		try (BufferedReader out = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter file = new PrintWriter(Files.newBufferedWriter(this.log, StandardCharsets.UTF_8,
						java.nio.file.StandardOpenOption.APPEND))) {
			String line;
			while ((line = out.readLine()) != null) {
				file.println(line);
				synchronized (this) {
					this.tail.addLast(line);
					if (this.tail.size() > 40) {
						this.tail.removeFirst();
					}
					if (line.startsWith(Control.PREFIX)) {
						this.events.addLast(line.substring(Control.PREFIX.length()).split(" "));
					}
					notifyAll();
				}
			}
			file.flush();
		}
		catch (IOException ex) {
			// the process ended
		}
		synchronized (this) {
			this.ended = true;
			notifyAll();
		}
	}

	/** @return the process id */
	long pid() {
		return this.process.pid();
	}

	/** @return the name given at start */
	String name() {
		return this.name;
	}

	/**
	 * Sends a command.
	 * @param command the command line
	 */
	void send(String command) {
		this.input.println(command);
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
	 * @throws IllegalStateException when the child ends, reports an error, or the time is up
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
			if (this.ended) {
				throw failure("ended (exit " + exitCode() + ") while waiting for '" + event + "'");
			}
			if (left <= 0) {
				throw failure("sent no '" + event + "' within " + timeout.toSeconds() + " s");
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failure("interrupted");
			}
		}
	}

	private String exitCode() {
		try {
			this.process.waitFor(2, TimeUnit.SECONDS);
			return this.process.isAlive() ? "?" : String.valueOf(this.process.exitValue());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

	private IllegalStateException failure(String what) {
		return new IllegalStateException("child " + this.name + " " + what + "; log " + this.log + ", last lines:\n  "
				+ String.join("\n  ", this.tail));
	}

	/** Kills the process with SIGKILL and waits until it is gone. */
	void kill9() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		LIVE.remove(this.process);
	}

	/** Asks the child to exit; kills it when it has not within 20 seconds. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			send("exit");
			try {
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}
		this.input.close();
		LIVE.remove(this.process);
	}

}
