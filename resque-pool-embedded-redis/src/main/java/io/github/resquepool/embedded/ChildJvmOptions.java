package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The options of a child JVM, set through {@link ChildJvm.Builder}, its only subclass,
 * and the command line and log file they make.
 */
public abstract sealed class ChildJvmOptions permits ChildJvm.Builder {

	private static final AtomicInteger COUNTER = new AtomicInteger();

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

	ChildJvmOptions(String mainClass) {
		this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
		this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
	}

	/**
	 * Sets the {@code java} executable.
	 * @param executable default: {@code bin/java} of this JVM's {@code java.home}
	 * @return this builder
	 */
	public ChildJvm.Builder java(Path executable) {
		this.java = Objects.requireNonNull(executable, "executable");
		return self();
	}

	/**
	 * Sets the class path.
	 * @param classPath entries separated by {@link java.io.File#pathSeparator}; default:
	 * this JVM's {@code java.class.path}
	 * @return this builder
	 */
	public ChildJvm.Builder classPath(String classPath) {
		this.classPath = Objects.requireNonNull(classPath, "classPath");
		return self();
	}

	/**
	 * Adds JVM options, placed before the main class, such as {@code -Xmx128m} or
	 * {@code -Dkey=value}.
	 * @param options the options
	 * @return this builder
	 */
	public ChildJvm.Builder jvmOptions(String... options) {
		this.jvmOptions.addAll(List.of(options));
		return self();
	}

	/**
	 * Adds program arguments, passed to {@code main}.
	 * @param arguments the arguments
	 * @return this builder
	 */
	public ChildJvm.Builder args(String... arguments) {
		this.args.addAll(List.of(arguments));
		return self();
	}

	/**
	 * Sets an environment variable of the child, which otherwise inherits this JVM's
	 * environment.
	 * @param key the variable name
	 * @param value its value, or {@code null} to remove the inherited variable
	 * @return this builder
	 */
	public ChildJvm.Builder env(String key, String value) {
		this.env.put(Objects.requireNonNull(key, "key"), value);
		return self();
	}

	/**
	 * Sets the folder for the log file, created when missing.
	 * @param dir default {@code target/child-jvms} under the working folder
	 * @return this builder
	 */
	public ChildJvm.Builder logDir(Path dir) {
		this.logDir = Objects.requireNonNull(dir, "dir");
		return self();
	}

	/**
	 * Sets the name used in the log file name and in messages.
	 * @param name default: the main class's simple name
	 * @return this builder
	 */
	public ChildJvm.Builder name(String name) {
		this.name = Objects.requireNonNull(name, "name").replaceAll("[^A-Za-z0-9._-]", "_");
		return self();
	}

	/**
	 * Sets the longest the child may live: {@link ChildJvm#exitWithParent()}, which its
	 * {@code
	 * main} must call, ends it that long after the call, with exit code
	 * {@value ChildJvm#LIFETIME_OVER_EXIT_CODE}.
	 * @param lifetime default: unlimited (until the child exits, is killed, or its parent
	 * is gone)
	 * @return this builder
	 */
	public ChildJvm.Builder lifetime(Duration lifetime) {
		this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
		return self();
	}

	/**
	 * Keeps the child's standard input open, for {@link ChildJvm#send(String)}; it reads
	 * end-of-file once the child is {@linkplain ChildJvm#close() closed} or this JVM is
	 * gone. By default the input is closed at start.
	 * @return this builder
	 */
	public ChildJvm.Builder keepInputOpen() {
		this.keepInputOpen = true;
		return self();
	}

	String name() {
		return this.name;
	}

	boolean keepsInputOpen() {
		return this.keepInputOpen;
	}

	/**
	 * Creates an empty log file in the log folder, named after the child, this JVM's pid
	 * and a counter.
	 * @return the log file's absolute path
	 * @throws UncheckedIOException when it cannot be created
	 */
	Path createLogFile() {
		try {
			Files.createDirectories(this.logDir);
			Path logFile = this.logDir
				.resolve(this.name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".log")
				.toAbsolutePath();
			Files.deleteIfExists(logFile);
			Files.createFile(logFile);
			return logFile;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a log file in " + this.logDir, ex);
		}
	}

	/**
	 * Returns the child's process: its command line, with the parent's pid and the
	 * lifetime as system properties, its environment, and its output going to
	 * {@code logFile}.
	 */
	ProcessBuilder processBuilder(Path logFile) {
		List<String> command = new ArrayList<>();
		command.add(this.java.toString());
		command.addAll(this.jvmOptions);
		command.add("-D" + ChildJvm.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
		if (this.lifetime != null) {
			command.add("-D" + ChildJvm.LIFETIME_PROPERTY + "=" + this.lifetime.toMillis());
		}
		command.add("-cp");
		command.add(this.classPath);
		command.add(this.mainClass);
		command.addAll(this.args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
		this.env.forEach((key, value) -> {
			if (value == null) {
				builder.environment().remove(key);
			}
			else {
				builder.environment().put(key, value);
			}
		});
		return builder;
	}

	private ChildJvm.Builder self() {
		return (ChildJvm.Builder) this;
	}

}
