package io.github.resquepool.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis {@value #REDIS_VERSION} server running as a child process on the loopback
 * interface, for the sample application, tests and benchmarks. Not for production.
 *
 * <p>
 * The server binary comes from the {@code org.signal:embedded-redis} jar on the classpath
 * (only its binaries are used, none of its classes). It is copied once to a cache folder,
 * by default {@code ${java.io.tmpdir}/resque-pool-redis} (override with the system
 * property {@value #CACHE_DIR_PROPERTY}), and started with persistence switched off, so
 * all data is lost when the server stops (unless it was built with
 * {@link Builder#persistence()}). Binaries exist for Linux (amd64, arm64, 386) and macOS
 * (amd64, arm64); elsewhere {@link #start()} throws {@link IllegalStateException} and
 * {@link #isPlatformSupported()} returns {@code false}.
 *
 * <pre>{@code
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
 *   RespClient.call(redis.host(), redis.port(), "PING"); // "PONG"
 * }
 * }</pre>
 *
 * <p>
 * {@link #builder()} starts servers with more options: extra configuration arguments, a
 * data folder with RDB persistence, replication from another server, or Sentinel mode.
 * Fault-injection tests control the process with {@link #kill()} ({@code SIGKILL}),
 * {@link #freeze()} ({@code SIGSTOP}) and {@link #thaw()} ({@code SIGCONT}):
 *
 * <pre>{@code
 * try (EmbeddedRedisServer primary = EmbeddedRedisServer.builder().persistence().enableDebugCommand().start();
 *     EmbeddedRedisServer replica = EmbeddedRedisServer.builder().replicaOf(primary).start()) {
 *   replica.awaitSyncedWithPrimary(Duration.ofSeconds(10));
 *   primary.freeze();   // PING now times out
 *   primary.thaw();
 *   primary.fill(20_000, 100);
 *   primary.restartWithSlowLoading(100); // answers LOADING until the data set is back
 *   primary.awaitLoaded(Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>
 * A JVM shutdown hook stops every server still running when the JVM exits normally or is
 * asked to terminate, frozen ones included (it cannot run when the JVM is killed with
 * {@code SIGKILL}).
 */
public final class EmbeddedRedisServer implements AutoCloseable {

	/** Version of the bundled Redis server. */
	public static final String REDIS_VERSION = "7.0.15";

	/** The address every embedded server binds to and that {@link #host()} returns. */
	public static final String HOST = "127.0.0.1";

	/** System property naming the folder the server binary is extracted to. */
	public static final String CACHE_DIR_PROPERTY = "resque-pool.embedded-redis.dir";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisServer.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(60);

	/** Name of the RDB file in a server's {@linkplain #dataDir() data folder}. */
	public static final String RDB_FILE = "dump.rdb";

	private static final int OUTPUT_LINES_KEPT = 50;

	private static final int FREE_PORT_ATTEMPTS = 5;

	private static final List<String> PLATFORMS = List.of("linux-amd64", "linux-arm64", "linux-386", "darwin-amd64",
			"darwin-arm64");

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	private static final Set<Process> FROZEN = ConcurrentHashMap.newKeySet();

	private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();

	private static final java.util.Map<Process, Duration> HELD = new ConcurrentHashMap<>();

	private static final java.util.Optional<Path> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
		.map(Paths::get)
		.filter(Files::isExecutable)
		.findFirst();

	private static Path extractedBinary;

	private final int port;

	private final List<String> extraArgs;

	private final Path dataDir;

	private final boolean ownsDataDir;

	private final String replicaOfHost;

	private final int replicaOfPort;

	private final SentinelSpec sentinel;

	private Path sentinelDir;

	private volatile Process process;

	private volatile boolean frozen;

	private OutputDrain drain;

	private EmbeddedRedisServer(int port, Builder options, Path dataDir, boolean ownsDataDir) {
		this.port = port;
		this.extraArgs = List.copyOf(options.args);
		this.dataDir = dataDir;
		this.ownsDataDir = ownsDataDir;
		this.replicaOfHost = options.replicaOfHost;
		this.replicaOfPort = options.replicaOfPort;
		this.sentinel = options.sentinel;
	}

	/**
	 * Starts a server on a free loopback port and waits until it answers {@code PING}.
	 * @return the running server
	 * @throws IllegalStateException when there is no binary for this platform or the
	 * server does not become ready within 10 seconds (the message then includes the
	 * server's output)
	 */
	public static EmbeddedRedisServer start() {
		return start(0, List.of());
	}

	/**
	 * Starts a server on the given loopback port and waits until it answers {@code PING}.
	 * @param port the TCP port, or {@code 0} for a free one
	 * @return the running server
	 * @throws IllegalStateException when there is no binary for this platform, the port
	 * is taken, or the server does not become ready within 10 seconds
	 */
	public static EmbeddedRedisServer start(int port) {
		return start(port, List.of());
	}

	/**
	 * Starts a server with additional command line arguments, appended after the defaults
	 * ({@code --port <port> --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes
	 * --daemonize no --loglevel warning}), for example
	 * {@code List.of("--maxmemory", "10mb")}.
	 * @param port the TCP port, or {@code 0} for a free one
	 * @param extraArgs further {@code redis-server} arguments, each list element one
	 * argument
	 * @return the running server
	 * @throws IllegalStateException when there is no binary for this platform, the port
	 * is taken, or the server does not become ready within 10 seconds
	 */
	public static EmbeddedRedisServer start(int port, List<String> extraArgs) {
		return builder().port(port).args(extraArgs).start();
	}

	/**
	 * Returns a builder for a server with more options than {@link #start(int, List)}: a
	 * data folder, replication, Sentinel mode.
	 * @return a new builder; {@link Builder#start()} starts the server
	 */
	public static Builder builder() {
		return new Builder();
	}

	private static EmbeddedRedisServer start(Builder options) {
		int port = options.port;
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("Invalid port " + port);
		}
		Path dataDir = options.dataDir;
		boolean ownsDataDir = false;
		if (dataDir == null && options.persistence) {
			dataDir = createTempDir("resque-pool-redis-data-");
			ownsDataDir = true;
		}
		try {
			if (port != 0) {
				EmbeddedRedisServer server = new EmbeddedRedisServer(port, options, dataDir, ownsDataDir);
				server.launchOrCleanUp();
				return server;
			}
			PortInUseException lastConflict = null;
			for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
				EmbeddedRedisServer server = new EmbeddedRedisServer(freePort(), options, dataDir, ownsDataDir);
				try {
					server.launchOrCleanUp();
					return server;
				}
				catch (PortInUseException e) {
					lastConflict = e; // someone took the free port between our check and
										// Redis binding it
				}
			}
			throw lastConflict;
		}
		catch (RuntimeException e) {
			if (ownsDataDir) {
				deleteTree(dataDir);
			}
			throw e;
		}
	}

	private void launchOrCleanUp() {
		try {
			launch(List.of(), false);
		}
		catch (RuntimeException e) {
			deleteSentinelDir();
			throw e;
		}
	}

	/**
	 * Tells whether a Redis binary exists for this operating system and processor
	 * architecture.
	 * @return {@code true} on Linux amd64/arm64/x86 and macOS amd64/arm64
	 */
	public static boolean isPlatformSupported() {
		return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", "")) != null;
	}

	/**
	 * Returns the loopback port this server listens on; it stays the same across
	 * {@link #restart()}.
	 * @return the TCP port
	 */
	public int port() {
		return port;
	}

	/**
	 * Returns the only address this server listens on.
	 * @return {@value #HOST}
	 */
	public String host() {
		return HOST;
	}

	/**
	 * Returns the server's address as a Redis URL.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String url() {
		return "redis://" + HOST + ":" + port;
	}

	/**
	 * Tells whether the server process is alive.
	 * @return {@code true} between a successful start (or restart) and {@link #stop()} or
	 * {@link #kill()}; also while {@linkplain #freeze() frozen}
	 */
	public synchronized boolean isRunning() {
		return process != null && process.isAlive();
	}

	/**
	 * Stops the server: asks it to terminate ({@code SIGTERM}), waits up to 5 seconds,
	 * then kills it. A frozen server is thawed first. Nothing is saved: without a
	 * {@linkplain Builder#persistence() data folder} all data is lost, with one the last
	 * {@link #save()} stays on disk. Does nothing when already stopped.
	 */
	public synchronized void stop() {
		Process p = process;
		if (p == null) {
			return;
		}
		process = null;
		if (frozen) {
			frozen = false;
			try {
				Signals.resume(p.pid());
			}
			catch (RuntimeException e) {
				log.warn("Cannot thaw Redis (pid {}) before stopping it; killing it", p.pid(), e);
				p.destroyForcibly();
			}
			FROZEN.remove(p);
		}
		terminate(p);
		LIVE.remove(p);
		HELD.remove(p);
		if (drain != null) {
			drain.awaitEnd(Duration.ofSeconds(1));
		}
		log.debug("Stopped embedded Redis on port {}", port);
	}

	/**
	 * Stops the server if it runs, then starts it again on the same port and waits until
	 * it answers {@code PING}. Meant for tests of Redis outages. Without a data folder
	 * the new server starts empty. With one ({@link Builder#persistence()},
	 * {@link Builder#dataDir(Path)}) a running server first saves its data set
	 * ({@code SAVE}), so the new one loads it again; after {@link #kill()} it loads the
	 * last save.
	 * @throws IllegalStateException when the server cannot be started again, for example
	 * because another process took the port in the meantime
	 */
	public synchronized void restart() {
		saveBeforeRestart();
		stop();
		launch(List.of(), false);
	}

	/**
	 * Stops the server and deletes what it created: the temporary data folder of
	 * {@link Builder#persistence()} (a folder given to {@link Builder#dataDir(Path)} is
	 * kept) and a Sentinel's configuration folder.
	 */
	@Override
	public synchronized void close() {
		stop();
		if (ownsDataDir) {
			deleteTree(dataDir);
		}
		deleteSentinelDir();
	}

	@Override
	public String toString() {
		return "EmbeddedRedisServer[" + url() + (sentinel != null ? ", sentinel" : "")
				+ (replicaOfHost != null ? ", replica of " + replicaOfHost + ":" + replicaOfPort : "")
				+ (isRunning() ? (frozen ? ", frozen" : ", running") : ", stopped") + "]";
	}

	// ---------------------------------------------------------------- faults

	/**
	 * Returns the operating system's id of the server process.
	 * @return the pid
	 * @throws IllegalStateException when the server is not running
	 */
	public synchronized long pid() {
		return running("pid").pid();
	}

	/**
	 * Kills the server with {@code SIGKILL}, as a crash would: no shutdown, nothing
	 * saved, clients see their connections reset and the port refuses connections at
	 * once. Waits up to 5 seconds for the process to be gone. {@link #restart()} brings
	 * it back on the same port. Does nothing when the server is not running.
	 */
	public synchronized void kill() {
		Process p = process;
		if (p == null) {
			return;
		}
		process = null;
		frozen = false;
		p.destroyForcibly(); // SIGKILL on POSIX systems; a stopped process dies of it too
		try {
			if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						"Redis (pid " + p.pid() + ") is still alive " + STOP_TIMEOUT.toSeconds() + " s after SIGKILL");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		finally {
			LIVE.remove(p);
			FROZEN.remove(p);
			HELD.remove(p);
		}
		if (drain != null) {
			drain.awaitEnd(Duration.ofSeconds(1));
		}
		log.debug("Killed embedded Redis on port {} (pid {})", port, p.pid());
	}

	/**
	 * Freezes the server with {@code SIGSTOP}: the port still accepts TCP connections
	 * (the kernel does that), but nothing is answered until {@link #thaw()}, as with a
	 * server stuck in a long pause. {@link #stop()}, {@link #close()} and the JVM
	 * shutdown hook never leave a frozen server behind. Does nothing when already frozen.
	 * @throws IllegalStateException when the server is not running or the signal cannot
	 * be sent
	 */
	public synchronized void freeze() {
		Process p = running("freeze");
		if (frozen) {
			return;
		}
		FROZEN.add(p);
		Signals.stop(p.pid());
		frozen = true;
		log.debug("Froze embedded Redis on port {} (pid {})", port, p.pid());
	}

	/**
	 * Lets a {@linkplain #freeze() frozen} server go on ({@code SIGCONT}); it then
	 * answers the commands that waited. Does nothing when it is not frozen.
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	public synchronized void thaw() {
		Process p = process;
		if (p == null || !frozen) {
			return;
		}
		Signals.resume(p.pid());
		frozen = false;
		FROZEN.remove(p);
		log.debug("Thawed embedded Redis on port {} (pid {})", port, p.pid());
	}

	/**
	 * Tells whether the server is {@linkplain #freeze() frozen}.
	 * @return {@code true} between {@link #freeze()} and {@link #thaw()} (or a stop)
	 */
	public synchronized boolean isFrozen() {
		return frozen && process != null;
	}

	private Process running(String action) {
		Process p = process;
		if (p == null || !p.isAlive()) {
			throw new IllegalStateException(
					"Cannot " + action + ": the Redis server on port " + port + " is not running");
		}
		return p;
	}

	// ---------------------------------------------------------------- data

	/**
	 * Returns the folder the server keeps its RDB file ({@value #RDB_FILE}) in.
	 * @return the data folder, or empty without {@link Builder#persistence()} or
	 * {@link Builder#dataDir(Path)}
	 */
	public java.util.Optional<Path> dataDir() {
		return java.util.Optional.ofNullable(dataDir);
	}

	/**
	 * Saves the data set to the data folder ({@code SAVE}), for the next start to load.
	 * @throws IllegalStateException when the server has no data folder
	 * @throws RespClient.ErrorReplyException when Redis refuses, for example while it is
	 * loading
	 */
	public void save() {
		requireDataDir("save");
		try (RespClient client = new RespClient(HOST, port, SAVE_TIMEOUT)) {
			client.command("SAVE");
		}
	}

	/**
	 * Writes {@code keys} string keys into database 0, {@code key:0} to
	 * {@code key:<keys-1>}, each value {@code valueBytes} bytes long ({@code MSET} in
	 * batches). With {@link #save()} and {@link #restartWithSlowLoading(int)} it makes a
	 * data set that takes a while to load.
	 * @param keys how many keys
	 * @param valueBytes the length of each value, at least 1
	 */
	public void fill(int keys, int valueBytes) {
		if (keys < 0 || valueBytes < 1) {
			throw new IllegalArgumentException("keys must be >= 0 and valueBytes >= 1");
		}
		String padding = "v".repeat(valueBytes);
		int batch = 500;
		try (RespClient client = new RespClient(HOST, port, SAVE_TIMEOUT)) {
			for (int from = 0; from < keys; from += batch) {
				int to = Math.min(keys, from + batch);
				String[] command = new String[1 + 2 * (to - from)];
				command[0] = "MSET";
				for (int i = from; i < to; i++) {
					command[1 + 2 * (i - from)] = "key:" + i;
					command[2 + 2 * (i - from)] = padding;
				}
				client.command(command);
			}
		}
	}

	/**
	 * Saves the data set, stops the server and starts it again on the same port with
	 * Redis' {@code key-load-delay} set, so that loading the RDB file takes a while;
	 * returns as soon as the new server answers, which it does with
	 * {@code LOADING Redis is loading the dataset in memory} for every data command until
	 * the load is done ({@link #awaitLoaded(Duration)}).
	 *
	 * <p>
	 * {@code key-load-delay} is a hidden Redis 7 setting: the number of
	 * <em>microseconds</em> the server sleeps after loading each key. The server is also
	 * started with {@code loading-process-events-interval-bytes 1024}, so it answers
	 * clients every KiB of RDB instead of every 2 MiB. With 20,000 keys of 100 bytes and
	 * a delay of 100 the load takes a few seconds. A later {@link #restart()} loads at
	 * full speed again.
	 * @param keyLoadDelayMicros microseconds to sleep per key, at least 1
	 * @throws IllegalStateException when the server has no data folder, holds no keys, or
	 * finished loading before it could be seen loading (use more keys or a longer delay)
	 */
	public synchronized void restartWithSlowLoading(int keyLoadDelayMicros) {
		requireDataDir("restart with slow loading");
		if (keyLoadDelayMicros < 1) {
			throw new IllegalArgumentException("keyLoadDelayMicros must be >= 1");
		}
		if (isRunning()) {
			thaw();
			Object keys = RespClient.call(HOST, port, "DBSIZE");
			if (Long.valueOf(0).equals(keys)) {
				throw new IllegalStateException("The Redis server on port " + port
						+ " holds no keys, so there is nothing to" + " load slowly; fill(...) it first");
			}
			save();
		}
		stop();
		launch(List.of("--key-load-delay", Integer.toString(keyLoadDelayMicros),
				"--loading-process-events-interval-bytes", "1024"), true);
	}

	/**
	 * Tells whether the server is still loading its data set (Redis'
	 * {@code INFO persistence} says {@code loading:1}).
	 * @return {@code true} while loading
	 */
	public boolean isLoading() {
		return "1".equals(info("persistence", "loading"));
	}

	/**
	 * Waits until the server has loaded its data set and answers {@code PING} with
	 * {@code PONG}.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException when it is still loading after {@code timeout}
	 */
	public void awaitLoaded(Duration timeout) {
		awaitCondition("finish loading", timeout, () -> "PONG".equals(RespClient.call(HOST, port, "PING")));
	}

	/**
	 * Waits until this replica's link to its primary is up and the initial
	 * synchronisation is done ({@code master_link_status:up} in
	 * {@code INFO replication}).
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException when the link is not up after {@code timeout}
	 */
	public void awaitSyncedWithPrimary(Duration timeout) {
		awaitCondition("sync with its primary", timeout, () -> "up".equals(info("replication", "master_link_status")));
	}

	/**
	 * Returns one field of Redis' {@code INFO} output.
	 * @param section the {@code INFO} section, such as {@code replication}
	 * @param field the field name, such as {@code role}
	 * @return its value, or {@code null} when the section has no such field
	 */
	public String info(String section, String field) {
		Object text = RespClient.call(HOST, port, "INFO", section);
		if (text instanceof String info) {
			for (String line : info.split("\r?\n")) {
				if (line.startsWith(field + ":")) {
					return line.substring(field.length() + 1).trim();
				}
			}
		}
		return null;
	}

	private void awaitCondition(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (true) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (UncheckedIOException | RespClient.ErrorReplyException e) {
				last = e;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new IllegalStateException(
						"Redis server on port " + port + " did not " + what + " within " + timeout.toMillis() + " ms"
								+ (last == null ? "" : " (last problem: " + last.getMessage() + ")") + ". Its output:\n"
								+ output(),
						last);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for Redis on port " + port + " to " + what,
						e);
			}
		}
	}

	/**
	 * Sleeps between two polls of a bounded wait; an interrupt ends the wait with an
	 * exception.
	 */
	static void sleepBriefly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Redis", e);
		}
	}

	private synchronized String output() {
		return drain == null ? "(no output)" : drain.text();
	}

	private void requireDataDir(String action) {
		if (dataDir == null) {
			throw new IllegalStateException("Cannot " + action + ": the Redis server on port " + port
					+ " has no data folder;" + " start it with EmbeddedRedisServer.builder().persistence()");
		}
	}

	private void saveBeforeRestart() {
		if (dataDir == null || sentinel != null || !isRunning()) {
			return;
		}
		thaw();
		try {
			save();
		}
		catch (RespClient.ErrorReplyException | UncheckedIOException e) {
			// Still loading, for example: the RDB file on disk is the complete earlier
			// one, so keep it.
			log.debug("Redis on port {} did not save before its restart: {}", port, e.getMessage());
		}
	}

	// ---------------------------------------------------------------- process handling

	private synchronized void launch(List<String> onceArgs, boolean loading) {
		Path binary = binary();
		List<String> command = new ArrayList<>();
		if (SETSID.isPresent()) {
			// Its own session: Ctrl-C in a terminal signals the JVM's process group, not
			// Redis, so an
			// application can still drain its work against Redis before it stops the
			// server.
			command.add(SETSID.get().toString());
		}
		command.add(binary.toString());
		if (sentinel != null) {
			// The same binary; Sentinel needs a configuration file it can rewrite, given
			// first.
			command.add(sentinelConfig().toString());
			command.add("--sentinel");
		}
		else {
			command.addAll(List.of("--port", Integer.toString(port), "--bind", HOST, "--save", "", "--appendonly", "no",
					"--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"));
			if (dataDir != null) {
				// No automatic snapshots ("--save" stays empty): the data set is saved
				// when asked to.
				command.addAll(List.of("--dir", dataDir.toString(), "--dbfilename", RDB_FILE));
			}
			if (replicaOfHost != null) {
				command.addAll(List.of("--replicaof", replicaOfHost, Integer.toString(replicaOfPort)));
			}
		}
		command.addAll(extraArgs);
		command.addAll(onceArgs);
		ProcessBuilder builder = new ProcessBuilder(command).directory(binary.getParent().toFile())
			.redirectErrorStream(true);
		Process p;
		try {
			p = builder.start();
		}
		catch (IOException e) {
			throw new IllegalStateException("Cannot run the Redis server binary " + binary + " on "
					+ platformDescription() + ": " + e.getMessage(), e);
		}
		registerShutdownHook();
		LIVE.add(p);
		OutputDrain output = new OutputDrain(p.getInputStream(), port);
		output.start();
		boolean sawLoading;
		try {
			sawLoading = awaitReady(p, output);
		}
		catch (RuntimeException e) {
			terminate(p);
			LIVE.remove(p);
			throw e;
		}
		process = p;
		drain = output;
		log.debug("Started embedded Redis {} on port {} (pid {}){}", REDIS_VERSION, port, p.pid(),
				sentinel != null ? " as Sentinel" : "");
		if (loading && !sawLoading) {
			throw new IllegalStateException(
					"Redis on port " + port + " finished loading its data set before it could be"
							+ " seen loading; use more keys or a longer key-load delay");
		}
	}

	/**
	 * Waits until the server answers; returns whether it answered LOADING first (then it
	 * is still loading).
	 */
	private boolean awaitReady(Process p, OutputDrain output) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		Exception lastProblem = null;
		while (System.nanoTime() < deadline) {
			if (!p.isAlive()) {
				output.awaitEnd(Duration.ofSeconds(1));
				String text = output.text();
				String message = "Redis server on port " + port + " exited with code " + p.exitValue()
						+ " during startup. Its output:\n" + text;
				if (text.contains("Address in use") || text.contains("Address already in use")) {
					throw new PortInUseException(message);
				}
				throw new IllegalStateException(message);
			}
			try (RespClient client = new RespClient(HOST, port, Duration.ofMillis(500))) {
				Object pong;
				boolean loading = false;
				try {
					pong = client.command("PING");
				}
				catch (RespClient.ErrorReplyException e) {
					if (!e.getMessage().startsWith("LOADING")) {
						throw e;
					}
					pong = "PONG";
					loading = true; // listening, and INFO answers while loading
				}
				if ("PONG".equals(pong)) {
					long pid = serverPid(client);
					if (pid == p.pid() || pid < 0) {
						return loading;
					}
					throw new PortInUseException("Port " + port + " is already used by another Redis server (pid " + pid
							+ "); the embedded one could not bind it.");
				}
				lastProblem = new IllegalStateException("PING answered " + pong);
			}
			catch (UncheckedIOException | RespClient.ErrorReplyException e) {
				lastProblem = e; // not listening yet
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for Redis to start on port " + port, e);
			}
		}
		throw new IllegalStateException(
				"Redis server on port " + port + " did not answer PING within " + STARTUP_TIMEOUT.toSeconds()
						+ " s (last problem: " + lastProblem + "). Its output:\n" + output.text());
	}

	private static long serverPid(RespClient client) {
		Object info = client.command("INFO", "server");
		if (info instanceof String text) {
			for (String line : text.split("\r?\n")) {
				if (line.startsWith("process_id:")) {
					return Long.parseLong(line.substring("process_id:".length()).trim());
				}
			}
		}
		return -1;
	}

	private static void terminate(Process p) {
		if (!p.isAlive()) {
			return;
		}
		p.destroy();
		try {
			if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Redis server (pid {}) did not stop within {} s; killing it", p.pid(),
						STOP_TIMEOUT.toSeconds());
				p.destroyForcibly();
				p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static void registerShutdownHook() {
		if (HOOK_REGISTERED.compareAndSet(false, true)) {
			Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedRedisServer::stopAll, "embedded-redis-shutdown"));
		}
	}

	/**
	 * Lets the owner of this server stop it during JVM shutdown: the shutdown hook then
	 * waits up to {@code max} for the server to be stopped before it stops it itself. For
	 * an application whose shutdown still needs Redis (a worker pool draining its jobs)
	 * and that stops the server as its own last step.
	 * @param max how long the hook waits
	 * @return this server
	 */
	public EmbeddedRedisServer holdOnShutdown(Duration max) {
		Process p = this.process;
		if (p != null) {
			HELD.put(p, max);
		}
		return this;
	}

	/**
	 * Shutdown hook body: works on the processes only, so it never waits for a server's
	 * lock.
	 */
	private static void stopAll() {
		List<Process> processes = new ArrayList<>(LIVE);
		for (Process p : FROZEN) {
			p.destroyForcibly(); // SIGTERM would wait for a SIGCONT that never comes;
									// SIGKILL does not
		}
		for (Process p : processes) {
			Duration hold = HELD.get(p);
			if (hold != null) {
				try {
					p.waitFor(hold.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			p.destroy();
		}
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (Process p : processes) {
			try {
				long left = deadline - System.nanoTime();
				if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
					p.destroyForcibly();
				}
			}
			catch (InterruptedException e) {
				p.destroyForcibly();
			}
		}
		for (Path dir : TEMP_DIRS) {
			deleteTree(dir);
		}
	}

	/** Returns a TCP port that was free on the loopback interface a moment ago. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot find a free loopback port", e);
		}
	}

	// ---------------------------------------------------------------- binary extraction

	/**
	 * Maps {@code os.name}/{@code os.arch} to a binary suffix such as
	 * {@code linux-amd64}, or null.
	 */
	static String platform(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = osArch.toLowerCase(Locale.ROOT);
		String osPart;
		if (os.contains("linux")) {
			osPart = "linux";
		}
		else if (os.contains("mac") || os.contains("darwin")) {
			osPart = "darwin";
		}
		else {
			return null;
		}
		String archPart = switch (arch) {
			case "amd64", "x86_64", "x64" -> "amd64";
			case "aarch64", "arm64" -> "arm64";
			case "x86", "i386", "i486", "i586", "i686" -> "386";
			default -> null;
		};
		if (archPart == null) {
			return null;
		}
		String platform = osPart + "-" + archPart;
		return PLATFORMS.contains(platform) ? platform : null;
	}

	private static String platformDescription() {
		return "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch");
	}

	/**
	 * Extracts (once per JVM, reusing an earlier copy of the same size) and returns the
	 * server binary.
	 */
	static synchronized Path binary() {
		if (extractedBinary == null || !Files.isExecutable(extractedBinary)) {
			extractedBinary = extractBinary(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
		}
		return extractedBinary;
	}

	/**
	 * Extracts the binary for the given platform to the cache folder and returns its
	 * path.
	 */
	static Path extractBinary(String osName, String osArch) {
		String platform = platform(osName, osArch);
		if (platform == null) {
			throw new IllegalStateException("No embedded Redis server binary for this platform (os.name=" + osName
					+ ", os.arch=" + osArch + "); binaries exist only for " + PLATFORMS
					+ ". Run Redis some other way (Docker, or a local install).");
		}
		String name = "redis-server-" + REDIS_VERSION + "-" + platform;
		URL resource = EmbeddedRedisServer.class.getClassLoader().getResource(name);
		if (resource == null) {
			throw new IllegalStateException("The Redis server binary '" + name + "' is not on the classpath;"
					+ " add org.signal:embedded-redis to the dependencies.");
		}
		IOException failure = null;
		for (Path dir : cacheDirs()) {
			try {
				return extract(resource, dir, name);
			}
			catch (IOException e) {
				if (failure == null) {
					failure = e;
				}
				else {
					failure.addSuppressed(e);
				}
			}
		}
		throw new IllegalStateException("Cannot extract the Redis server binary " + name + " (tried " + cacheDirs()
				+ "; set -D" + CACHE_DIR_PROPERTY + "=<folder> to choose another place): " + failure, failure);
	}

	private static List<Path> cacheDirs() {
		String configured = System.getProperty(CACHE_DIR_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return List.of(Paths.get(configured));
		}
		Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
		// The second folder helps when the shared one belongs to another user.
		return List.of(tmp.resolve("resque-pool-redis"), tmp.resolve("resque-pool-redis-" + user));
	}

	private static Path extract(URL resource, Path dir, String name) throws IOException {
		Files.createDirectories(dir);
		Path target = dir.resolve(name);
		URLConnection connection = resource.openConnection();
		long size = connection.getContentLengthLong();
		try (InputStream in = connection.getInputStream()) {
			if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
				if (!Files.isExecutable(target)) {
					makeExecutable(target);
				}
				return target;
			}
			Path temp = Files.createTempFile(dir, name + "-", ".tmp");
			try {
				Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
				makeExecutable(temp);
				try {
					Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException e) {
					Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temp);
			}
			log.debug("Extracted Redis server binary to {}", target);
			return target;
		}
	}

	private static void makeExecutable(Path file) throws IOException {
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		else if (!file.toFile().setExecutable(true, false)) {
			throw new IOException("Cannot make " + file + " executable");
		}
	}

	// ---------------------------------------------------------------- options

	/**
	 * Options for a server, from {@link EmbeddedRedisServer#builder()}. A plain server by
	 * default, like {@link EmbeddedRedisServer#start()}.
	 *
	 * <pre>{@code
	 * EmbeddedRedisServer primary = EmbeddedRedisServer.builder()
	 *     .persistence()
	 *     .enableDebugCommand()
	 *     .args("--maxmemory", "50mb")
	 *     .start();
	 * EmbeddedRedisServer replica = EmbeddedRedisServer.builder().replicaOf(primary).start();
	 * EmbeddedRedisServer sentinel = EmbeddedRedisServer.builder()
	 *     .sentinelFor("mymaster", primary.host(), primary.port(), 1, Duration.ofMillis(1000), Duration.ofMillis(3000))
	 *     .start();
	 * }</pre>
	 */
	public static final class Builder {

		private int port;

		private final List<String> args = new ArrayList<>();

		private boolean persistence;

		private Path dataDir;

		private String replicaOfHost;

		private int replicaOfPort;

		private SentinelSpec sentinel;

		private Builder() {
		}

		/**
		 * Sets the TCP port.
		 * @param port the loopback port, or {@code 0} (the default) for a free one
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Adds {@code redis-server} arguments, appended after the defaults, for example
		 * {@code args("--maxmemory", "10mb")}; each element is one argument.
		 * @param arguments the arguments
		 * @return this builder
		 */
		public Builder args(String... arguments) {
			return args(List.of(arguments));
		}

		/**
		 * Adds {@code redis-server} arguments, appended after the defaults.
		 * @param arguments the arguments, each element one argument
		 * @return this builder
		 */
		public Builder args(List<String> arguments) {
			this.args.addAll(arguments);
			return this;
		}

		/**
		 * Allows the {@code DEBUG} command from loopback clients
		 * ({@code --enable-debug-command local}), for {@code DEBUG SLEEP} and friends.
		 * @return this builder
		 */
		public Builder enableDebugCommand() {
			return args("--enable-debug-command", "local");
		}

		/**
		 * Gives the server a temporary data folder of its own, deleted by
		 * {@link EmbeddedRedisServer#close()}. The data set is saved there on demand
		 * ({@link EmbeddedRedisServer#save()}, {@code SAVE}, and before each
		 * {@link EmbeddedRedisServer#restart()}), never automatically, and loaded at each
		 * start.
		 * @return this builder
		 */
		public Builder persistence() {
			this.persistence = true;
			return this;
		}

		/**
		 * Like {@link #persistence()}, but in the given folder, which is created when
		 * missing and kept after {@link EmbeddedRedisServer#close()}; an RDB file already
		 * there is loaded at start.
		 * @param dir the data folder
		 * @return this builder
		 */
		public Builder dataDir(Path dir) {
			this.dataDir = dir.toAbsolutePath();
			return this;
		}

		/**
		 * Starts the server as a replica of another one ({@code --replicaof host port}).
		 * @param host the primary's address
		 * @param port the primary's port
		 * @return this builder
		 */
		public Builder replicaOf(String host, int port) {
			this.replicaOfHost = java.util.Objects.requireNonNull(host, "host");
			this.replicaOfPort = port;
			return this;
		}

		/**
		 * Starts the server as a replica of {@code primary}.
		 * @param primary a running embedded server
		 * @return this builder
		 */
		public Builder replicaOf(EmbeddedRedisServer primary) {
			return replicaOf(primary.host(), primary.port());
		}

		/**
		 * Starts a Redis Sentinel instead of a data server:
		 * {@code redis-server <sentinel.conf> --sentinel} with a configuration file,
		 * written to a temporary folder (Sentinel rewrites it), that monitors one
		 * primary. Sentinels on loopback find each other through the primary; they
		 * announce {@value EmbeddedRedisServer#HOST} and do not resolve host names.
		 * @param masterName the name clients ask the Sentinel for, such as
		 * {@code mymaster}
		 * @param primaryHost the primary's address
		 * @param primaryPort the primary's port
		 * @param quorum how many Sentinels must agree that the primary is down
		 * @param downAfter how long the primary may fail to answer before it counts as
		 * down ({@code down-after-milliseconds})
		 * @param failoverTimeout Sentinel's {@code failover-timeout}
		 * @return this builder
		 */
		public Builder sentinelFor(String masterName, String primaryHost, int primaryPort, int quorum,
				Duration downAfter, Duration failoverTimeout) {
			this.sentinel = new SentinelSpec(masterName, primaryHost, primaryPort, quorum, downAfter, failoverTimeout);
			return this;
		}

		/**
		 * Starts the server and waits until it answers {@code PING}.
		 * @return the running server
		 * @throws IllegalStateException when there is no binary for this platform, the
		 * port is taken, the options contradict each other, or the server does not become
		 * ready within 10 seconds (the message then includes the server's output)
		 */
		public EmbeddedRedisServer start() {
			if (sentinel != null && (persistence || dataDir != null || replicaOfHost != null)) {
				throw new IllegalStateException("A Sentinel has no data folder and is no replica");
			}
			if (dataDir != null) {
				try {
					Files.createDirectories(dataDir);
				}
				catch (IOException e) {
					throw new UncheckedIOException("Cannot create the Redis data folder " + dataDir, e);
				}
			}
			return EmbeddedRedisServer.start(this);
		}

	}

	/** What a Sentinel monitors. */
	private record SentinelSpec(String masterName, String host, int port, int quorum, Duration downAfter,
			Duration failoverTimeout) {
		SentinelSpec {
			if (!masterName.matches("[A-Za-z0-9._-]+")) {
				throw new IllegalArgumentException("Invalid master name '" + masterName + "'");
			}
			if (quorum < 1) {
				throw new IllegalArgumentException("quorum must be >= 1");
			}
		}
	}

	/**
	 * Writes the Sentinel configuration once; later starts reuse it with what Sentinel
	 * rewrote into it.
	 */
	private Path sentinelConfig() {
		try {
			if (sentinelDir == null) {
				sentinelDir = createTempDir("resque-pool-sentinel-");
				String name = sentinel.masterName();
				String config = String.join("\n", "port " + port, "bind " + HOST, "daemonize no", "loglevel warning",
						"dir " + sentinelDir, "sentinel resolve-hostnames no", "sentinel announce-hostnames no",
						"sentinel announce-ip " + HOST,
						"sentinel monitor " + name + " " + sentinel.host() + " " + sentinel.port() + " "
								+ sentinel.quorum(),
						"sentinel down-after-milliseconds " + name + " " + sentinel.downAfter().toMillis(),
						"sentinel failover-timeout " + name + " " + sentinel.failoverTimeout().toMillis(),
						"sentinel parallel-syncs " + name + " 1", "");
				Files.writeString(sentinelDir.resolve("sentinel.conf"), config, StandardCharsets.UTF_8);
			}
			return sentinelDir.resolve("sentinel.conf");
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot write the Sentinel configuration", e);
		}
	}

	private synchronized void deleteSentinelDir() {
		if (sentinelDir != null) {
			deleteTree(sentinelDir);
			sentinelDir = null;
		}
	}

	private static Path createTempDir(String prefix) {
		try {
			Path dir = Files.createTempDirectory(prefix);
			TEMP_DIRS.add(dir);
			return dir;
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot create a temporary folder for Redis", e);
		}
	}

	private static void deleteTree(Path dir) {
		if (dir == null) {
			return;
		}
		TEMP_DIRS.remove(dir);
		if (!Files.exists(dir)) {
			return;
		}
		try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException e) {
					log.debug("Cannot delete {}", path, e);
				}
			});
		}
		catch (IOException e) {
			log.debug("Cannot delete {}", dir, e);
		}
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * Startup failed because the port is taken; {@link #start()} then retries on another
	 * port.
	 */
	private static final class PortInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		PortInUseException(String message) {
			super(message);
		}

	}

	/**
	 * Reads the server's merged stdout/stderr so the pipe never fills up, keeping the
	 * last lines.
	 */
	private static final class OutputDrain extends Thread {

		private final InputStream stream;

		private final int port;

		private final Deque<String> lines = new ArrayDeque<>();

		OutputDrain(InputStream stream, int port) {
			super("redis-server-" + port + "-output");
			this.stream = stream;
			this.port = port;
			setDaemon(true);
		}

		@Override
		public void run() {
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					log.debug("redis-server:{} | {}", port, line);
					synchronized (lines) {
						if (lines.size() == OUTPUT_LINES_KEPT) {
							lines.removeFirst();
						}
						lines.addLast(line);
					}
				}
			}
			catch (IOException e) {
				// the process ended and its pipe was closed
			}
		}

		void awaitEnd(Duration timeout) {
			try {
				join(timeout.toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}

		String text() {
			synchronized (lines) {
				return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
			}
		}

	}

}
