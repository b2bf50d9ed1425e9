package io.github.resquepool.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second JVM started by a test, for example an application that the test crashes,
 * freezes or terminates while it works against Redis. Its standard output and error go to
 * a log file the test can wait on.
 *
 * <pre>{@code
 * try (ChildJvm app = ChildJvm.builder(WorkerMain.class)
 *     .jvmOptions("-Xmx128m")
 *     .args("--queue", "jobs")
 *     .env("REDIS_URL", redis.url())
 *     .logDir(Path.of("target", "child-jvms"))
 *     .start()) {
 *   app.awaitLine("worker ready", Duration.ofSeconds(30));
 *   ChildJvm.LineReader lines = app.lineReader(); // or each line once, in order: lines.next(timeout)
 *   app.kill();                         // SIGKILL, or sigterm(), freeze()/thaw()
 *   int code = app.waitFor(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>
 * A child never outlives the test: {@link #close()} kills it, a shutdown hook kills every
 * child still running when the test JVM exits, and for the case where the test JVM itself
 * is killed ({@code SIGKILL}, where no hook runs) the child receives the parent's pid in
 * the system property {@value #PARENT_PID_PROPERTY}: its {@code main} should call
 * {@link #exitWithParent()} first, which also enforces a
 * {@linkplain Builder#lifetime(Duration) lifetime} when one is set.
 *
 * <p>
 * A child's standard input is closed at start, unless the builder
 * {@linkplain Builder#keepInputOpen() keeps it open} for {@link #send(String)}.
 */
public final class ChildJvm implements AutoCloseable {

	/** System property holding the pid of the JVM that started the child. */
	public static final String PARENT_PID_PROPERTY = "resque-pool.child.parent-pid";

	/**
	 * Exit code of a child that {@link #exitWithParent()} ended because its parent was
	 * gone.
	 */
	public static final int PARENT_GONE_EXIT_CODE = 86;

	/**
	 * System property holding the child's {@linkplain Builder#lifetime(Duration)
	 * lifetime} in milliseconds.
	 */
	public static final String LIFETIME_PROPERTY = "resque-pool.child.lifetime-ms";

	/**
	 * Exit code of a child that {@link #exitWithParent()} ended because its lifetime was
	 * over.
	 */
	public static final int LIFETIME_OVER_EXIT_CODE = 87;

	private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PARENT_POLL = Duration.ofMillis(200);

	private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

	private static final long LINE_POLL_MILLIS = 5;

	private static final int TAIL_LINES = 40;

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();

	private static final AtomicBoolean WATCHING_PARENT = new AtomicBoolean();

	private final String name;

	private final Process process;

	private final Path logFile;

	private final Writer input;

	private volatile boolean frozen;

	private ChildJvm(String name, Process process, Path logFile, Writer input) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.input = input;
	}

	/**
	 * Returns a builder for a child running {@code mainClass}, by default with the same
	 * {@code java} executable and class path as this JVM.
	 * @param mainClass the class whose {@code main} the child runs
	 * @return a new builder
	 */
	public static Builder builder(Class<?> mainClass) {
		return new Builder(mainClass.getName());
	}

	/**
	 * Returns a builder for a child running the named main class.
	 * @param mainClassName the fully qualified name of the class whose {@code main} the
	 * child runs
	 * @return a new builder
	 */
	public static Builder builder(String mainClassName) {
		return new Builder(mainClassName);
	}

	/**
	 * Makes this JVM exit when the JVM that started it through {@link ChildJvm} is gone,
	 * or when its {@linkplain Builder#lifetime(Duration) lifetime} is over. Call it first
	 * thing in a child's {@code main}: it starts a daemon thread that checks the parent
	 * (pid from {@value #PARENT_PID_PROPERTY}) every 200 ms and then calls
	 * {@code System.exit(}{@value #PARENT_GONE_EXIT_CODE}{@code )}, or
	 * {@code System.exit(}{@value #LIFETIME_OVER_EXIT_CODE}{@code
	 * )} once the milliseconds in {@value #LIFETIME_PROPERTY} have passed since this
	 * call, so the child's own shutdown hooks run; if they take longer than 10 seconds
	 * the JVM halts. Does nothing in a JVM not started by {@link ChildJvm}, and nothing
	 * the second time.
	 */
	public static void exitWithParent() {
		String value = System.getProperty(PARENT_PID_PROPERTY);
		if (value == null || !WATCHING_PARENT.compareAndSet(false, true)) {
			return;
		}
		long parentPid = Long.parseLong(value.trim());
		// The handle remembers the parent's start time, so a new process that reuses the
		// pid is not
		// taken for the parent.
		Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
		String lifetime = System.getProperty(LIFETIME_PROPERTY);
		long lifetimeNanos = lifetime == null ? Long.MAX_VALUE
				: Duration.ofMillis(Long.parseLong(lifetime.trim())).toNanos();
		long start = System.nanoTime();
		Thread watcher = new Thread(() -> {
			while (parent.map(ProcessHandle::isAlive).orElse(false)) {
				if (System.nanoTime() - start >= lifetimeNanos) {
					exit(LIFETIME_OVER_EXIT_CODE, "Lifetime of " + lifetime + " ms is over");
					return;
				}
				try {
					Thread.sleep(PARENT_POLL.toMillis());
				}
				catch (InterruptedException e) {
					return;
				}
			}
			exit(PARENT_GONE_EXIT_CODE, "Parent JVM " + parentPid + " is gone");
		}, "child-jvm-parent-watch");
		watcher.setDaemon(true);
		watcher.start();
	}

	/**
	 * Exits this JVM with {@code code}, running its shutdown hooks; halts if they take
	 * too long.
	 */
	private static void exit(int code, String reason) {
		System.err.println(reason + "; exiting with code " + code);
		Thread halter = new Thread(() -> {
			try {
				Thread.sleep(EXIT_GRACE.toMillis());
			}
			catch (InterruptedException e) {
				// fall through and halt
			}
			Runtime.getRuntime().halt(code);
		}, "child-jvm-halt");
		halter.setDaemon(true);
		halter.start();
		System.exit(code);
	}

	/**
	 * Returns the child's process id.
	 * @return the pid
	 */
	public long pid() {
		return process.pid();
	}

	/**
	 * Tells whether the child process is alive (a frozen child is).
	 * @return {@code true} until it exits or is killed
	 */
	public boolean isAlive() {
		return process.isAlive();
	}

	/**
	 * Returns the file the child's standard output and error go to.
	 * @return the log file
	 */
	public Path logFile() {
		return logFile;
	}

	/**
	 * Returns everything the child wrote so far (standard output and error, decoded as
	 * UTF-8).
	 * @return the log text
	 */
	public String log() {
		try {
			return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot read " + logFile, e);
		}
	}

	/**
	 * Waits until the log has a line containing a match of {@code regex}; lines written
	 * before the call count too.
	 * @param regex a {@link Pattern} regular expression, found anywhere in a line
	 * @param timeout how long to wait at most
	 * @return the first matching line
	 * @throws IllegalStateException when no line matches within {@code timeout} or the
	 * child exits without printing one; the message includes the log's last lines
	 */
	public String awaitLine(String regex, Duration timeout) {
		return awaitLine(Pattern.compile(regex), timeout);
	}

	/**
	 * Waits until the log has a line containing a match of {@code pattern}; lines written
	 * before the call count too.
	 * @param pattern found anywhere in a line
	 * @param timeout how long to wait at most
	 * @return the first matching line
	 * @throws IllegalStateException when no line matches within {@code timeout} or the
	 * child exits without printing one; the message includes the log's last lines
	 */
	public String awaitLine(Pattern pattern, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		LineReader reader = lineReader();
		while (true) {
			String line = reader.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			boolean late = System.nanoTime() - deadline >= 0;
			if (line != null && pattern.matcher(line).find()) {
				return line;
			}
			// Lines already read count even when the time is up; a chatty child does not
			// make the wait endless.
			if (line == null || late && reader.pending.isEmpty()) {
				if (reader.atEnd()) {
					throw new IllegalStateException(this + " exited with code " + process.exitValue()
							+ " without printing a line matching /" + pattern + "/. " + tail());
				}
				throw new IllegalStateException(this + " printed no line matching /" + pattern + "/ within "
						+ timeout.toMillis() + " ms. " + tail());
			}
		}
	}

	/**
	 * Returns a reader of the log's lines from its start, for a test that takes the
	 * child's output line by line, each line once (for example answers to
	 * {@linkplain #send(String) commands}).
	 * @return a new reader; not thread-safe
	 */
	public LineReader lineReader() {
		return new LineReader();
	}

	/**
	 * Writes a line to the child's standard input, for a child
	 * {@linkplain Builder#keepInputOpen() started with its input open}.
	 * @param line the text, without line separator (a {@code \n} is added)
	 * @throws IllegalStateException when the child's input was closed at start
	 * @throws UncheckedIOException when the line cannot be written, for example because
	 * the child is gone
	 */
	public void send(String line) {
		if (input == null) {
			throw new IllegalStateException("Cannot send to " + this + ": it was started without keepInputOpen()");
		}
		try {
			synchronized (input) {
				input.write(line + "\n");
				input.flush();
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot send to " + this, e);
		}
	}

	/**
	 * Asks the child to terminate ({@code SIGTERM}), which runs its shutdown hooks; does
	 * not wait. A {@linkplain #freeze() frozen} child only acts on it after
	 * {@link #thaw()}.
	 */
	public void sigterm() {
		process.destroy();
	}

	/**
	 * Kills the child ({@code SIGKILL}), frozen or not, and waits up to 10 seconds until
	 * it is gone.
	 * @throws IllegalStateException when it is still alive after that
	 */
	public void kill() {
		process.destroyForcibly();
		frozen = false;
		try {
			if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						this + " is still alive " + KILL_TIMEOUT.toSeconds() + " s after SIGKILL");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing " + this, e);
		}
		LIVE.remove(process);
	}

	/**
	 * Freezes the child ({@code SIGSTOP}): all its threads stop, its sockets stay open.
	 * Returns once the kernel reports it stopped (on Linux).
	 * @throws IllegalStateException when the child is not alive or the signal cannot be
	 * sent
	 */
	public void freeze() {
		if (!process.isAlive()) {
			throw new IllegalStateException("Cannot freeze " + this + ": it is not alive");
		}
		Signals.stop(process.pid());
		frozen = true;
	}

	/**
	 * Lets a {@linkplain #freeze() frozen} child go on ({@code SIGCONT}).
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	public void thaw() {
		if (process.isAlive()) {
			Signals.resume(process.pid());
		}
		frozen = false;
	}

	/**
	 * Tells whether the child is {@linkplain #freeze() frozen}.
	 * @return {@code true} between {@link #freeze()} and {@link #thaw()} or
	 * {@link #kill()}
	 */
	public boolean isFrozen() {
		return frozen && process.isAlive();
	}

	/**
	 * Waits until the child exits.
	 * @param timeout how long to wait at most
	 * @return its exit code; {@code 128 + n} when it was ended by signal {@code n}, for
	 * example 137 after {@link #kill()} and 143 after {@link #sigterm()} when it has no
	 * handler of its own
	 * @throws IllegalStateException when it is still alive after {@code timeout}; the
	 * message includes the log's last lines
	 */
	public int waitFor(Duration timeout) {
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(this + " did not exit within " + timeout.toMillis() + " ms. " + tail());
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this, e);
		}
		LIVE.remove(process);
		return process.exitValue();
	}

	/**
	 * Kills the child if it is still alive ({@code SIGKILL}), waits until it is gone and
	 * closes its standard input.
	 */
	@Override
	public void close() {
		if (process.isAlive()) {
			kill();
		}
		LIVE.remove(process);
		if (input != null) {
			try {
				input.close();
			}
			catch (IOException e) {
				// the child is gone: nothing reads it any more
			}
		}
	}

	@Override
	public String toString() {
		return "ChildJvm[" + name + ", pid " + process.pid()
				+ (process.isAlive() ? (frozen ? ", frozen" : "") : ", exited") + ", log " + logFile + "]";
	}

	/**
	 * Returns the last 40 lines of the log, headed by the log file's name, for failure
	 * messages.
	 * @return the tail, or why the log cannot be read
	 */
	public String tail() {
		String[] lines;
		try {
			lines = log().split("\r?\n");
		}
		catch (UncheckedIOException e) {
			return "Its log cannot be read: " + e.getMessage();
		}
		int from = Math.max(0, lines.length - TAIL_LINES);
		return "Last " + (lines.length - from) + " lines of " + logFile + ":\n"
				+ String.join("\n", List.of(lines).subList(from, lines.length));
	}

	private static void registerShutdownHook() {
		if (HOOK_REGISTERED.compareAndSet(false, true)) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				for (Process p : LIVE) {
					p.destroyForcibly(); // SIGKILL: also ends a frozen child
				}
			}, "child-jvm-shutdown"));
		}
	}

	/**
	 * Reads a child's log line by line, from {@link ChildJvm#lineReader()}: each line
	 * once, in order; a line still being written is only returned once it is complete or
	 * the child has exited.
	 */
	public final class LineReader {

		private final Deque<String> pending = new ArrayDeque<>();

		private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

		private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

		private long position;

		private boolean end;

		private LineReader() {
		}

		/**
		 * Returns the next line, waiting for it up to {@code timeout}.
		 * @param timeout how long to wait at most; zero returns a line already written,
		 * if any
		 * @return the line without its line separator, or {@code null} when none came
		 * within {@code
		 *     timeout} or the child has exited and every line was returned (then
		 * {@link #atEnd()})
		 * @throws UncheckedIOException when the log cannot be read
		 * @throws IllegalStateException when interrupted
		 */
		public String next(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				// Checked before reading: what the child wrote before it exited is in the
				// file by then.
				boolean exited = !process.isAlive();
				if (pending.isEmpty() && !end) {
					read(exited);
				}
				if (!pending.isEmpty()) {
					return pending.removeFirst();
				}
				if (exited) {
					end = true;
					return null;
				}
				if (System.nanoTime() - deadline >= 0) {
					return null;
				}
				EmbeddedRedisServer.sleepBriefly(LINE_POLL_MILLIS);
			}
		}

		/**
		 * Tells whether the child has exited and every line of its log was returned.
		 * @return {@code true} once {@link #next(Duration)} has nothing more to return,
		 * ever
		 */
		public boolean atEnd() {
			return end;
		}

		private void read(boolean exited) {
			try (FileChannel channel = FileChannel.open(logFile)) {
				channel.position(position);
				int n;
				while ((n = channel.read(buffer.clear())) > 0) {
					position += n;
					byte[] bytes = buffer.array();
					int from = 0;
					for (int i = 0; i < n; i++) {
						if (bytes[i] == '\n') {
							partial.write(bytes, from, i - from);
							addLine();
							from = i + 1;
						}
					}
					partial.write(bytes, from, n - from);
				}
			}
			catch (IOException e) {
				throw new UncheckedIOException("Cannot read " + logFile, e);
			}
			if (exited && partial.size() > 0) {
				addLine();
			}
		}

		private void addLine() {
			// '\n' never occurs inside a UTF-8 sequence, so a complete line decodes on
			// its own.
			String line = partial.toString(StandardCharsets.UTF_8);
			partial.reset();
			pending.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
		}

	}

	// ---------------------------------------------------------------- builder

	/** Options of a child JVM, from {@link ChildJvm#builder(Class)}. */
	public static final class Builder {

		private final String mainClass;

		private Path java = Paths.get(System.getProperty("java.home"), "bin", "java");

		private String classPath = System.getProperty("java.class.path");

		private final List<String> jvmOptions = new ArrayList<>();

		private final List<String> args = new ArrayList<>();

		private final Map<String, String> env = new LinkedHashMap<>();

		private Path logDir = Paths.get("target", "child-jvms");

		private String name;

		private Duration lifetime;

		private boolean keepInputOpen;

		private Builder(String mainClass) {
			this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
			this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
		}

		/**
		 * Sets the {@code java} executable.
		 * @param executable default: {@code bin/java} of this JVM's {@code java.home}
		 * @return this builder
		 */
		public Builder java(Path executable) {
			this.java = Objects.requireNonNull(executable, "executable");
			return this;
		}

		/**
		 * Sets the class path.
		 * @param classPath entries separated by {@link java.io.File#pathSeparator};
		 * default: this JVM's {@code java.class.path}
		 * @return this builder
		 */
		public Builder classPath(String classPath) {
			this.classPath = Objects.requireNonNull(classPath, "classPath");
			return this;
		}

		/**
		 * Adds JVM options, placed before the main class, such as {@code -Xmx128m} or
		 * {@code -Dkey=value}.
		 * @param options the options
		 * @return this builder
		 */
		public Builder jvmOptions(String... options) {
			this.jvmOptions.addAll(List.of(options));
			return this;
		}

		/**
		 * Adds program arguments, passed to {@code main}.
		 * @param arguments the arguments
		 * @return this builder
		 */
		public Builder args(String... arguments) {
			this.args.addAll(List.of(arguments));
			return this;
		}

		/**
		 * Sets an environment variable of the child, which otherwise inherits this JVM's
		 * environment.
		 * @param key the variable name
		 * @param value its value, or {@code null} to remove the inherited variable
		 * @return this builder
		 */
		public Builder env(String key, String value) {
			this.env.put(Objects.requireNonNull(key, "key"), value);
			return this;
		}

		/**
		 * Sets the folder for the log file, created when missing.
		 * @param dir default {@code target/child-jvms} under the working folder
		 * @return this builder
		 */
		public Builder logDir(Path dir) {
			this.logDir = Objects.requireNonNull(dir, "dir");
			return this;
		}

		/**
		 * Sets the name used in the log file name and in messages.
		 * @param name default: the main class's simple name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = Objects.requireNonNull(name, "name").replaceAll("[^A-Za-z0-9._-]", "_");
			return this;
		}

		/**
		 * Sets the longest the child may live: {@link ChildJvm#exitWithParent()}, which
		 * its {@code
		 * main} must call, ends it that long after the call, with exit code
		 * {@value ChildJvm#LIFETIME_OVER_EXIT_CODE}.
		 * @param lifetime default: unlimited (until the child exits, is killed, or its
		 * parent is gone)
		 * @return this builder
		 */
		public Builder lifetime(Duration lifetime) {
			this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
			return this;
		}

		/**
		 * Keeps the child's standard input open, for {@link ChildJvm#send(String)}; it
		 * reads end-of-file once the child is {@linkplain ChildJvm#close() closed} or
		 * this JVM is gone. By default the input is closed at start.
		 * @return this builder
		 */
		public Builder keepInputOpen() {
			this.keepInputOpen = true;
			return this;
		}

		/**
		 * Starts the child; does not wait for it to be ready (see
		 * {@link ChildJvm#awaitLine(String, Duration)}).
		 * @return the running child
		 * @throws UncheckedIOException when the log file cannot be created or the JVM
		 * cannot be started
		 */
		public ChildJvm start() {
			Path logFile;
			try {
				Files.createDirectories(logDir);
				logFile = logDir
					.resolve(name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".log")
					.toAbsolutePath();
				Files.deleteIfExists(logFile);
				Files.createFile(logFile);
			}
			catch (IOException e) {
				throw new UncheckedIOException("Cannot create a log file in " + logDir, e);
			}
			List<String> command = new ArrayList<>();
			command.add(java.toString());
			command.addAll(jvmOptions);
			command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
			if (lifetime != null) {
				command.add("-D" + LIFETIME_PROPERTY + "=" + lifetime.toMillis());
			}
			command.add("-cp");
			command.add(classPath);
			command.add(mainClass);
			command.addAll(args);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
			env.forEach((key, value) -> {
				if (value == null) {
					builder.environment().remove(key);
				}
				else {
					builder.environment().put(key, value);
				}
			});
			registerShutdownHook();
			Process process;
			Writer input = null;
			try {
				process = builder.start();
				if (keepInputOpen) {
					input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
				}
				else {
					process.getOutputStream().close(); // the child reads end-of-file from
														// its standard input
				}
			}
			catch (IOException e) {
				throw new UncheckedIOException("Cannot start " + command, e);
			}
			LIVE.add(process);
			ChildJvm child = new ChildJvm(name, process, logFile, input);
			log.debug("Started {}: {}", child, command);
			return child;
		}

	}

}
