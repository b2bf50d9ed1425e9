package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of an embedded server, set through {@link EmbeddedRedisServer.Builder}, its
 * only subclass: a plain server by default, like {@link EmbeddedRedisServer#start()}.
 */
public abstract sealed class ServerOptions permits EmbeddedRedisServer.Builder {

	private int port;

	private final List<String> args = new ArrayList<>();

	private boolean persistence;

	private Path dataDir;

	private String replicaOfHost;

	private int replicaOfPort;

	private ServerConfig.SentinelSpec sentinel;

	ServerOptions() {
	}

	/**
	 * Sets the TCP port.
	 * @param port the loopback port, or {@code 0} (the default) for a free one
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder port(int port) {
		this.port = port;
		return self();
	}

	/**
	 * Adds {@code redis-server} arguments, appended after the defaults, for example
	 * {@code args("--maxmemory", "10mb")}; each element is one argument.
	 * @param arguments the arguments
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder args(String... arguments) {
		return args(List.of(arguments));
	}

	/**
	 * Adds {@code redis-server} arguments, appended after the defaults.
	 * @param arguments the arguments, each element one argument
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder args(List<String> arguments) {
		this.args.addAll(arguments);
		return self();
	}

	/**
	 * Allows the {@code DEBUG} command from loopback clients
	 * ({@code --enable-debug-command local}), for {@code DEBUG SLEEP} and friends.
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder enableDebugCommand() {
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
	public EmbeddedRedisServer.Builder persistence() {
		this.persistence = true;
		return self();
	}

	/**
	 * Like {@link #persistence()}, but in the given folder, which is created when missing
	 * and kept after {@link EmbeddedRedisServer#close()}; an RDB file already there is
	 * loaded at start.
	 * @param dir the data folder
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder dataDir(Path dir) {
		this.dataDir = dir.toAbsolutePath();
		return self();
	}

	/**
	 * Starts the server as a replica of another one ({@code --replicaof host port}).
	 * @param host the primary's address
	 * @param port the primary's port
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder replicaOf(String host, int port) {
		this.replicaOfHost = Objects.requireNonNull(host, "host");
		this.replicaOfPort = port;
		return self();
	}

	/**
	 * Starts the server as a replica of {@code primary}.
	 * @param primary a running embedded server
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder replicaOf(EmbeddedRedisServer primary) {
		return replicaOf(primary.host(), primary.port());
	}

	/**
	 * Starts a Redis Sentinel instead of a data server:
	 * {@code redis-server <sentinel.conf> --sentinel} with a configuration file, written
	 * to a temporary folder (Sentinel rewrites it), that monitors one primary. Sentinels
	 * on loopback find each other through the primary; they announce
	 * {@value EmbeddedRedisServer#HOST} and do not resolve host names.
	 * @param masterName the name clients ask the Sentinel for, such as {@code mymaster}
	 * @param primaryHost the primary's address
	 * @param primaryPort the primary's port
	 * @param quorum how many Sentinels must agree that the primary is down
	 * @param downAfter how long the primary may fail to answer before it counts as down
	 * ({@code down-after-milliseconds})
	 * @param failoverTimeout the Sentinel's {@code failover-timeout}
	 * @return this builder
	 */
	public EmbeddedRedisServer.Builder sentinelFor(String masterName, String primaryHost, int primaryPort, int quorum,
			Duration downAfter, Duration failoverTimeout) {
		this.sentinel = new ServerConfig.SentinelSpec(masterName, primaryHost, primaryPort, quorum, downAfter,
				failoverTimeout);
		return self();
	}

	/**
	 * Checks that the options fit together and creates a data folder given to
	 * {@link #dataDir(Path)}.
	 * @throws IllegalStateException when they contradict each other
	 */
	void check() {
		if (this.port < 0 || this.port > 65535) {
			throw new IllegalArgumentException("Invalid port " + this.port);
		}
		if (this.sentinel != null && (this.persistence || this.dataDir != null || this.replicaOfHost != null)) {
			throw new IllegalStateException("A Sentinel has no data folder and is no replica");
		}
		if (this.dataDir != null) {
			try {
				Files.createDirectories(this.dataDir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create the Redis data folder " + this.dataDir, ex);
			}
		}
	}

	/** Tells whether the server gets a temporary data folder of its own. */
	boolean wantsTemporaryDataDir() {
		return this.persistence && this.dataDir == null;
	}

	/**
	 * Returns the configuration of a server with these options.
	 * @param temporaryDataDir the server's own data folder, or {@code null}
	 */
	ServerConfig config(Path temporaryDataDir) {
		return new ServerConfig(this.port, this.args, (temporaryDataDir != null) ? temporaryDataDir : this.dataDir,
				this.replicaOfHost, this.replicaOfPort, this.sentinel);
	}

	private EmbeddedRedisServer.Builder self() {
		return (EmbeddedRedisServer.Builder) this;
	}

}
