package io.github.resquepool.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real Redis {@value #REDIS_VERSION} server running as a child process on the loopback
 * interface, for the sample application, tests and benchmarks. Not for production.
 *
 * <p>
 * The binary, from the {@code org.signal:embedded-redis} jar (none of its classes), is
 * copied once to {@code ${java.io.tmpdir}/resque-pool-redis} (or the folder named by the
 * system property {@value #CACHE_DIR_PROPERTY}). The server runs without persistence, so
 * its data is lost when it stops, unless built with {@link Builder#persistence()}.
 * Binaries exist for Linux (amd64, arm64, 386) and macOS (amd64, arm64); elsewhere
 * {@link #start()} throws {@link IllegalStateException} and
 * {@link #isPlatformSupported()} returns {@code false}.
 *
 * <pre>{@code
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
 *   RedisConnections.ping(redis.host(), redis.port()); // "PONG"
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

	/** Name of the RDB file in a server's {@linkplain #dataDir() data folder}. */
	public static final String RDB_FILE = "dump.rdb";

	static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final ServerConfig config;

	private final int port;

	private final boolean ownsDataDir;

	/** The current run of the server, or the last one after a stop. */
	private volatile ServerProcess process;

	private volatile boolean stopped;

	private EmbeddedRedisServer(ServerProcess process, boolean ownsDataDir) {
		this.config = process.config();
		this.port = this.config.port();
		this.ownsDataDir = ownsDataDir;
		this.process = process;
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
		options.check();
		boolean ownsDataDir = options.wantsTemporaryDataDir();
		Path dataDir = ownsDataDir ? TemporaryFolders.create("resque-pool-redis-data-") : null;
		try {
			return new EmbeddedRedisServer(ServerProcess.start(options.config(dataDir)), ownsDataDir);
		}
		catch (RuntimeException ex) {
			TemporaryFolders.delete(dataDir);
			throw ex;
		}
	}

	/**
	 * Tells whether a Redis binary exists for this operating system and processor
	 * architecture.
	 * @return {@code true} on Linux amd64/arm64/x86 and macOS amd64/arm64
	 */
	public static boolean isPlatformSupported() {
		return RedisBinary.isPlatformSupported();
	}

	/**
	 * Returns the loopback port this server listens on; it stays the same across
	 * {@link #restart()}.
	 * @return the TCP port
	 */
	public int port() {
		return this.port;
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
		return "redis://" + HOST + ":" + this.port;
	}

	/**
	 * Tells whether the server process is alive.
	 * @return {@code true} between a successful start (or restart) and {@link #stop()} or
	 * {@link #kill()}; also while {@linkplain #freeze() frozen}
	 */
	public synchronized boolean isRunning() {
		ChildProcess p = child();
		return p != null && p.isAlive();
	}

	/**
	 * Stops the server: asks it to terminate ({@code SIGTERM}), waits up to 5 seconds,
	 * then kills it. A frozen server is thawed first. Nothing is saved: without a
	 * {@linkplain Builder#persistence() data folder} all data is lost, with one the last
	 * {@link #save()} stays on disk. Does nothing when already stopped.
	 */
	public synchronized void stop() {
		ChildProcess p = detach();
		if (p != null) {
			p.terminate(STOP_TIMEOUT);
			this.process.output().awaitEnd(Duration.ofSeconds(1));
		}
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
		launch(List.of());
	}

	/**
	 * Stops the server and deletes what it created: the temporary data folder of
	 * {@link Builder#persistence()} (a folder given to {@link Builder#dataDir(Path)} is
	 * kept) and a Sentinel's configuration folder.
	 */
	@Override
	public synchronized void close() {
		stop();
		if (this.ownsDataDir) {
			TemporaryFolders.delete(this.config.dataDir());
		}
		this.config.deleteSentinelConfig();
	}

	@Override
	public String toString() {
		return "EmbeddedRedisServer[" + url() + this.config.role()
				+ (isRunning() ? (isFrozen() ? ", frozen" : ", running") : ", stopped") + "]";
	}

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
		ChildProcess p = detach();
		if (p != null) {
			p.kill(STOP_TIMEOUT);
			this.process.output().awaitEnd(Duration.ofSeconds(1));
		}
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
		running("freeze").freeze();
	}

	/**
	 * Lets a {@linkplain #freeze() frozen} server go on ({@code SIGCONT}); it then
	 * answers the commands that waited. Does nothing when it is not frozen.
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	public synchronized void thaw() {
		ChildProcess p = child();
		if (p != null) {
			p.thaw();
		}
	}

	/**
	 * Tells whether the server is {@linkplain #freeze() frozen}.
	 * @return {@code true} between {@link #freeze()} and {@link #thaw()} (or a stop)
	 */
	public synchronized boolean isFrozen() {
		ChildProcess p = child();
		return p != null && p.isFrozen();
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
		ChildProcess p = child();
		if (p != null) {
			p.holdOnJvmExit(max);
		}
		return this;
	}

	/**
	 * Returns the folder the server keeps its RDB file ({@value #RDB_FILE}) in.
	 * @return the data folder, or empty without {@link Builder#persistence()} or
	 * {@link Builder#dataDir(Path)}
	 */
	public Optional<Path> dataDir() {
		return Optional.ofNullable(this.config.dataDir());
	}

	/**
	 * Saves the data set to the data folder ({@code SAVE}), for the next start to load.
	 * @throws IllegalStateException when the server has no data folder
	 * @throws io.lettuce.core.RedisCommandExecutionException when Redis refuses, for
	 * example while it is loading
	 */
	public void save() {
		this.config.requireDataDir("save");
		DataSet.save(HOST, this.port);
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
		DataSet.fill(HOST, this.port, keys, valueBytes);
	}

	/**
	 * Saves the data set, stops the server and starts it again on the same port with
	 * Redis' {@code key-load-delay} set, so that loading the RDB file takes a while;
	 * returns as soon as the new server answers, which it does with
	 * {@code LOADING Redis is loading the dataset in memory} for every data command until
	 * the load is done ({@link #awaitLoaded(Duration)}).
	 *
	 * <p>
	 * {@code key-load-delay} is a hidden Redis 7 setting: <em>microseconds</em> of sleep
	 * after each key loaded; with {@code loading-process-events-interval-bytes 1024} the
	 * server also answers clients every KiB of RDB instead of every 2 MiB. 20,000 keys of
	 * 100 bytes with a delay of 100 load in a few seconds; a later {@link #restart()}
	 * loads at full speed again.
	 * @param keyLoadDelayMicros microseconds to sleep per key, at least 1
	 * @throws IllegalStateException when the server has no data folder, holds no keys, or
	 * finished loading before it could be seen loading (use more keys or a longer delay)
	 */
	public synchronized void restartWithSlowLoading(int keyLoadDelayMicros) {
		this.config.requireDataDir("restart with slow loading");
		List<String> slowLoading = DataSet.arguments(keyLoadDelayMicros);
		if (isRunning()) {
			thaw();
			DataSet.requireKeys(HOST, this.port);
			save();
		}
		stop();
		DataSet.requireSeenLoading(launch(slowLoading), this.port);
	}

	/**
	 * Tells whether the server is still loading its data set (Redis'
	 * {@code INFO persistence} says {@code loading:1}).
	 * @return {@code true} while loading
	 */
	public boolean isLoading() {
		return DataSet.isLoading(HOST, this.port);
	}

	/**
	 * Waits until the server has loaded its data set and answers {@code PING} with
	 * {@code PONG}.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException when it is still loading after {@code timeout}
	 */
	public void awaitLoaded(Duration timeout) {
		ReadinessProbe.untilReachable(timeout)
			.withDetail(this::outputText)
			.until(this + " to finish loading", () -> "PONG".equals(RedisConnections.ping(HOST, this.port)));
	}

	/**
	 * Waits until this replica's link to its primary is up and the initial
	 * synchronisation is done ({@code master_link_status:up} in
	 * {@code INFO replication}).
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException when the link is not up after {@code timeout}
	 */
	public void awaitSyncedWithPrimary(Duration timeout) {
		ReadinessProbe.untilReachable(timeout)
			.withDetail(this::outputText)
			.until(this + " to sync with its primary", () -> "up".equals(info("replication", "master_link_status")));
	}

	/**
	 * Returns one field of Redis' {@code INFO} output.
	 * @param section the {@code INFO} section, such as {@code replication}
	 * @param field the field name, such as {@code role}
	 * @return its value, or {@code null} when the section has no such field
	 */
	public String info(String section, String field) {
		return RedisInfo.field(HOST, this.port, section, field);
	}

	private String outputText() {
		return "Its output:\n" + this.process.output().text();
	}

	private void saveBeforeRestart() {
		if (this.config.dataDir() == null || this.config.isSentinel() || !isRunning()) {
			return;
		}
		thaw();
		DataSet.saveIfPossible(HOST, this.port);
	}

	/** Starts the server process; returns whether it answered LOADING first. */
	private synchronized boolean launch(List<String> onceArgs) {
		ServerProcess started = ServerProcess.start(this.config, onceArgs);
		this.process = started;
		this.stopped = false;
		return started.sawLoading();
	}

	private ChildProcess running(String action) {
		ChildProcess p = child();
		if (p == null || !p.isAlive()) {
			throw new IllegalStateException(
					"Cannot " + action + ": the Redis server on port " + this.port + " is not running");
		}
		return p;
	}

	private ChildProcess child() {
		return this.stopped ? null : this.process.child();
	}

	/** Returns the running process, or null, and marks the server stopped. */
	private ChildProcess detach() {
		ChildProcess p = child();
		this.stopped = true;
		return p;
	}

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
	public static final class Builder extends ServerOptions {

		private Builder() {
		}

		/**
		 * Starts the server and waits until it answers {@code PING}.
		 * @return the running server
		 * @throws IllegalStateException when there is no binary for this platform, the
		 * port is taken, the options contradict each other, or the server does not become
		 * ready within 10 seconds (the message then includes the server's output)
		 */
		public EmbeddedRedisServer start() {
			return EmbeddedRedisServer.start(this);
		}

	}

}
