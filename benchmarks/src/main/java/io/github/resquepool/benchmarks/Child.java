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

	private static final Set<Handle> LIVE = ConcurrentHashMap.newKeySet();

	private final String name;

	private final Handle jvm;

	private final Deque<String[]> events = new ArrayDeque<>();

	private Child(String name, Handle handle) {
		this.name = name;
		this.jvm = handle;
	}

	/**
	 * Starts a child JVM.
	 * @param name a name for logs and messages
	 * @param logDir where its output goes
	 * @param jvmArgs the JVM options
	 * @param mainClass the main class
	 * @param args program arguments
	 * @return the running child
	 */
	static Child start(String name, Path logDir, List<String> jvmArgs, Class<?> mainClass, List<String> args) {
		return start(name, logDir, jvmArgs, mainClass, args, null);
	}

	/**
	 * Starts a child JVM on a class path of its own.
	 * @param name a name for logs and messages
	 * @param logDir where its output goes
	 * @param jvmArgs the JVM options
	 * @param mainClass the main class
	 * @param args program arguments
	 * @param classPath the class path, or null for this JVM's
	 * @return the running child
	 */
	static Child start(String name, Path logDir, List<String> jvmArgs, Class<?> mainClass, List<String> args,
			String classPath) {
		try {
			ChildJvm.Builder builder = ChildJvm.builder(mainClass)
				.name(name)
				.java(Path.of(javaCommand()))
				.jvmOptions(jvmArgs.toArray(String[]::new))
				.args(args.toArray(String[]::new))
				.logDir(logDir)
				.keepInputOpen();
			if (classPath != null) {
				builder.classPath(classPath);
			}
			Handle handle = new JvmHandle(builder.start());
			LIVE.add(handle);
			return new Child(name, handle);
		}
		catch (UncheckedIOException ex) {
			throw new IllegalStateException("cannot start " + name + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Starts a child that is not a JVM (the Sidekiq reference) but speaks the same line
	 * protocol.
	 * @param name a name for logs and messages
	 * @param logDir where its output goes ({@code <name>.log})
	 * @param command the command line
	 * @param env environment variables to add
	 * @return the running child
	 */
	static Child startProcess(String name, Path logDir, List<String> command, java.util.Map<String, String> env) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(logDir.resolve(name + ".log").toFile());
			builder.environment().putAll(env);
			Handle handle = new ProcessHandleImpl(builder.start(), logDir.resolve(name + ".log"));
			LIVE.add(handle);
			return new Child(name, handle);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("cannot start " + name + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return the process ids of the children alive now
	 */
	static long[] livePids() {
		return LIVE.stream().filter(Handle::isAlive).mapToLong(Handle::pid).toArray();
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
			if (this.jvm.atEnd()) {
				throw failure("ended (exit " + exitCode() + ") while waiting for '" + event + "'");
			}
			if (left <= 0) {
				throw failure("sent no '" + event + "' within " + timeout.toSeconds() + " s");
			}
			String line = this.jvm.next(Duration.ofNanos(left));
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
		close(Duration.ofSeconds(20));
	}

	/**
	 * Asks the child to exit; kills it when it has not within the given time.
	 * @param patience how long to wait for the exit
	 * @return whether it exited by itself, with exit code 0
	 */
	boolean close(Duration patience) {
		boolean clean = false;
		if (this.jvm.isAlive()) {
			send("exit");
			try {
				clean = this.jvm.waitFor(patience) == 0;
			}
			catch (IllegalStateException ex) {
				// killed below
			}
		}
		this.jvm.close();
		LIVE.remove(this.jvm);
		return clean;
	}

	/**
	 * What a child is: a {@link ChildJvm}, or another process speaking the same protocol.
	 */
	private interface Handle {

		long pid();

		boolean isAlive();

		void send(String line);

		/**
		 * @return the next line of its output, or null when there is none within the
		 * timeout or at the end
		 */
		String next(Duration timeout);

		boolean atEnd();

		int waitFor(Duration timeout);

		String tail();

		/** Kills the process (SIGKILL) if it is alive. */
		void close();

	}

	private static final class JvmHandle implements Handle {

		private final ChildJvm jvm;

		private final ChildJvm.LineReader lines;

		JvmHandle(ChildJvm jvm) {
			this.jvm = jvm;
			this.lines = jvm.lineReader();
		}

		@Override
		public long pid() {
			return this.jvm.pid();
		}

		@Override
		public boolean isAlive() {
			return this.jvm.isAlive();
		}

		@Override
		public void send(String line) {
			this.jvm.send(line);
		}

		@Override
		public String next(Duration timeout) {
			return this.lines.next(timeout);
		}

		@Override
		public boolean atEnd() {
			return this.lines.atEnd();
		}

		@Override
		public int waitFor(Duration timeout) {
			return this.jvm.waitFor(timeout);
		}

		@Override
		public String tail() {
			return this.jvm.tail();
		}

		@Override
		public void close() {
			this.jvm.close();
		}

	}

	/**
	 * A plain process whose output goes to a log file, read back line by line; SIGKILLed
	 * when the runner exits.
	 */
	private static final class ProcessHandleImpl implements Handle {

		private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

		static {
			Runtime.getRuntime()
				.addShutdownHook(
						new Thread(() -> PROCESSES.forEach(Process::destroyForcibly), "bench-process-shutdown"));
		}

		private final Process process;

		private final Path log;

		private final java.io.Writer input;

		private final Deque<String> pending = new ArrayDeque<>();

		private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

		private long position;

		private boolean end;

		ProcessHandleImpl(Process process, Path log) {
			this.process = process;
			this.log = log;
			this.input = new java.io.OutputStreamWriter(process.getOutputStream(),
					java.nio.charset.StandardCharsets.UTF_8);
			PROCESSES.add(process);
		}

		@Override
		public long pid() {
			return this.process.pid();
		}

		@Override
		public boolean isAlive() {
			return this.process.isAlive();
		}

		@Override
		public void send(String line) {
			try {
				synchronized (this.input) {
					this.input.write(line + "\n");
					this.input.flush();
				}
			}
			catch (java.io.IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public String next(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				boolean exited = !this.process.isAlive();
				if (this.pending.isEmpty() && !this.end) {
					read(exited);
				}
				if (!this.pending.isEmpty()) {
					return this.pending.removeFirst();
				}
				if (exited) {
					this.end = true;
					return null;
				}
				if (System.nanoTime() - deadline >= 0) {
					return null;
				}
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
			}
		}

		private void read(boolean exited) {
			try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(this.log)) {
				channel.position(this.position);
				java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 * 1024);
				int n;
				while ((n = channel.read(buffer.clear())) > 0) {
					this.position += n;
					byte[] bytes = buffer.array();
					int from = 0;
					for (int i = 0; i < n; i++) {
						if (bytes[i] == '\n') {
							this.partial.write(bytes, from, i - from);
							addLine();
							from = i + 1;
						}
					}
					this.partial.write(bytes, from, n - from);
				}
			}
			catch (java.io.IOException ex) {
				throw new UncheckedIOException(ex);
			}
			if (exited && this.partial.size() > 0) {
				addLine();
			}
		}

		private void addLine() {
			String line = this.partial.toString(java.nio.charset.StandardCharsets.UTF_8);
			this.partial.reset();
			this.pending.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
		}

		@Override
		public boolean atEnd() {
			return this.end;
		}

		@Override
		public int waitFor(Duration timeout) {
			try {
				if (!this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException(
							"pid " + pid() + " did not exit within " + timeout.toMillis() + " ms");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			PROCESSES.remove(this.process);
			return this.process.exitValue();
		}

		@Override
		public String tail() {
			try {
				List<String> lines = java.nio.file.Files.readAllLines(this.log);
				return "Last lines of " + this.log + ":\n"
						+ String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
			}
			catch (java.io.IOException | UncheckedIOException ex) {
				return "Its log " + this.log + " cannot be read: " + ex.getMessage();
			}
		}

		@Override
		public void close() {
			if (this.process.isAlive()) {
				this.process.destroyForcibly();
				try {
					this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			PROCESSES.remove(this.process);
			try {
				this.input.close();
			}
			catch (java.io.IOException ex) {
				// gone
			}
		}

	}

}
