package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * A child never outlives the test: {@link #close()} kills it, the kit's shutdown hook
 * (the one of {@link EmbeddedRedisServer} too) kills every child still running when the
 * test JVM exits, and for the case where the test JVM itself is killed ({@code SIGKILL},
 * where no hook runs) the child receives the parent's pid in the system property
 * {@value #PARENT_PID_PROPERTY}: its {@code main} should call {@link #exitWithParent()}
 * first, which also enforces a {@linkplain Builder#lifetime(Duration) lifetime} when one
 * is set.
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

	private static final Duration LINE_POLL = Duration.ofMillis(5);

	private static final int TAIL_LINES = 40;

	private final String name;

	private final ChildProcess process;

	private final Path logFile;

	private final Writer input;

	private ChildJvm(String name, ChildProcess process, Path logFile, Writer input) {
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
		ParentWatch.start();
	}

	/**
	 * Returns the child's process id.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Tells whether the child process is alive (a frozen child is).
	 * @return {@code true} until it exits or is killed
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Returns the file the child's standard output and error go to.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Returns everything the child wrote so far (standard output and error, decoded as
	 * UTF-8).
	 * @return the log text
	 */
	public String log() {
		try {
			return new String(Files.readAllBytes(this.logFile), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.logFile, ex);
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
			if (line == null || late && !reader.lines.hasPending()) {
				if (reader.atEnd()) {
					throw new IllegalStateException(this + " exited with code " + this.process.process().exitValue()
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
		if (this.input == null) {
			throw new IllegalStateException("Cannot send to " + this + ": it was started without keepInputOpen()");
		}
		try {
			synchronized (this.input) {
				this.input.write(line + "\n");
				this.input.flush();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot send to " + this, ex);
		}
	}

	/**
	 * Asks the child to terminate ({@code SIGTERM}), which runs its shutdown hooks; does
	 * not wait. A {@linkplain #freeze() frozen} child only acts on it after
	 * {@link #thaw()}.
	 */
	public void sigterm() {
		this.process.process().destroy();
	}

	/**
	 * Kills the child ({@code SIGKILL}), frozen or not, and waits up to 10 seconds until
	 * it is gone.
	 * @throws IllegalStateException when it is still alive after that
	 */
	public void kill() {
		try {
			this.process.kill(KILL_TIMEOUT);
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("Cannot kill " + this + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Freezes the child ({@code SIGSTOP}): all its threads stop, its sockets stay open.
	 * Returns once the kernel reports it stopped (on Linux).
	 * @throws IllegalStateException when the child is not alive or the signal cannot be
	 * sent
	 */
	public void freeze() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("Cannot freeze " + this + ": it is not alive");
		}
		this.process.freeze();
	}

	/**
	 * Lets a {@linkplain #freeze() frozen} child go on ({@code SIGCONT}).
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	public void thaw() {
		this.process.thaw();
	}

	/**
	 * Tells whether the child is {@linkplain #freeze() frozen}.
	 * @return {@code true} between {@link #freeze()} and {@link #thaw()} or
	 * {@link #kill()}
	 */
	public boolean isFrozen() {
		return this.process.isFrozen();
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
		if (!this.process.awaitExit(timeout)) {
			throw new IllegalStateException(this + " did not exit within " + timeout.toMillis() + " ms. " + tail());
		}
		return this.process.process().exitValue();
	}

	/**
	 * Kills the child if it is still alive ({@code SIGKILL}), waits until it is gone and
	 * closes its standard input.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		if (this.input != null) {
			try {
				this.input.close();
			}
			catch (IOException ex) {
				// the child is gone: nothing reads it any more
			}
		}
	}

	@Override
	public String toString() {
		return "ChildJvm[" + this.name + ", pid " + this.process.pid()
				+ (this.process.isAlive() ? (this.process.isFrozen() ? ", frozen" : "") : ", exited") + ", log "
				+ this.logFile + "]";
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
		catch (UncheckedIOException ex) {
			return "Its log cannot be read: " + ex.getMessage();
		}
		int from = Math.max(0, lines.length - TAIL_LINES);
		return "Last " + (lines.length - from) + " lines of " + this.logFile + ":\n"
				+ String.join("\n", List.of(lines).subList(from, lines.length));
	}

	/**
	 * Reads a child's log line by line, from {@link ChildJvm#lineReader()}: each line
	 * once, in order; a line still being written is only returned once it is complete or
	 * the child has exited.
	 */
	public final class LineReader {

		private final AppendedLines lines = new AppendedLines(ChildJvm.this.logFile);

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
				boolean exited = !ChildJvm.this.process.isAlive();
				String line = this.end ? null : this.lines.poll(exited);
				if (line != null) {
					return line;
				}
				if (exited) {
					this.end = true;
					return null;
				}
				if (System.nanoTime() - deadline >= 0) {
					return null;
				}
				Eventually.pause(LINE_POLL, "a line from " + ChildJvm.this);
			}
		}

		/**
		 * Tells whether the child has exited and every line of its log was returned.
		 * @return {@code true} once {@link #next(Duration)} has nothing more to return,
		 * ever
		 */
		public boolean atEnd() {
			return this.end;
		}

	}

	/** Options of a child JVM, from {@link ChildJvm#builder(Class)}. */
	public static final class Builder extends ChildJvmOptions {

		private Builder(String mainClass) {
			super(mainClass);
		}

		/**
		 * Starts the child; does not wait for it to be ready (see
		 * {@link ChildJvm#awaitLine(String, Duration)}).
		 * @return the running child
		 * @throws UncheckedIOException when the log file cannot be created or the JVM
		 * cannot be started
		 */
		public ChildJvm start() {
			Path logFile = createLogFile();
			ProcessBuilder builder = processBuilder(logFile);
			ChildProcess process;
			Writer input = null;
			try {
				process = ChildProcess.start(builder, ChildProcess.OnJvmExit.KILL);
				if (keepsInputOpen()) {
					input = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
				}
				else {
					// the child reads end-of-file from its standard input
					process.process().getOutputStream().close();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start " + builder.command(), ex);
			}
			ChildJvm child = new ChildJvm(name(), process, logFile, input);
			log.debug("Started {}: {}", child, builder.command());
			return child;
		}

	}

}
