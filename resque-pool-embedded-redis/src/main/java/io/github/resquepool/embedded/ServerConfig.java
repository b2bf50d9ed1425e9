package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How one embedded server runs: its port, the {@code redis-server} command line built
 * from the {@link EmbeddedRedisServer.Builder} options, and the Sentinel configuration
 * file that command line names. A data server runs without automatic snapshots and
 * without append-only file: {@code --save ""} stays empty even with a data folder, where
 * the data set is saved only when asked to.
 */
final class ServerConfig {

	private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
		.map(Paths::get)
		.filter(Files::isExecutable)
		.findFirst();

	private final int port;

	private final List<String> extraArgs;

	private final Path dataDir;

	private final String replicaOfHost;

	private final int replicaOfPort;

	private final SentinelSpec sentinel;

	private Path sentinelDir;

	ServerConfig(int port, List<String> extraArgs, Path dataDir, String replicaOfHost, int replicaOfPort,
			SentinelSpec sentinel) {
		this.port = port;
		this.extraArgs = List.copyOf(extraArgs);
		this.dataDir = dataDir;
		this.replicaOfHost = replicaOfHost;
		this.replicaOfPort = replicaOfPort;
		this.sentinel = sentinel;
	}

	/**
	 * Returns the same configuration on another port, with a Sentinel configuration file
	 * of its own.
	 */
	ServerConfig withPort(int port) {
		return new ServerConfig(port, this.extraArgs, this.dataDir, this.replicaOfHost, this.replicaOfPort,
				this.sentinel);
	}

	int port() {
		return this.port;
	}

	Path dataDir() {
		return this.dataDir;
	}

	boolean isSentinel() {
		return this.sentinel != null;
	}

	/**
	 * Returns the command that starts the server.
	 * @param binary the {@code redis-server} binary
	 * @param onceArgs arguments for this start only, appended last
	 * @return the command line
	 */
	synchronized List<String> command(Path binary, List<String> onceArgs) {
		List<String> command = new ArrayList<>();
		// Its own session: Ctrl-C in a terminal signals the JVM's process group, not
		// Redis, so an application can still drain its work against Redis before it
		// stops the server.
		SETSID.ifPresent((setsid) -> command.add(setsid.toString()));
		command.add(binary.toString());
		if (this.sentinel != null) {
			// The same binary; Sentinel needs a configuration file it can rewrite, given
			// first.
			command.add(sentinelConfig().toString());
			command.add("--sentinel");
		}
		else {
			command.addAll(List.of("--port", Integer.toString(this.port), "--bind", EmbeddedRedisServer.HOST, "--save",
					"", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"));
			if (this.dataDir != null) {
				command.addAll(List.of("--dir", this.dataDir.toString(), "--dbfilename", EmbeddedRedisServer.RDB_FILE));
			}
			if (this.replicaOfHost != null) {
				command.addAll(List.of("--replicaof", this.replicaOfHost, Integer.toString(this.replicaOfPort)));
			}
		}
		command.addAll(this.extraArgs);
		command.addAll(onceArgs);
		return command;
	}

	/**
	 * Fails when the server has no data folder.
	 * @param action what needs one, for the message
	 */
	void requireDataDir(String action) {
		if (this.dataDir == null) {
			throw new IllegalStateException("Cannot " + action + ": the Redis server on port " + this.port
					+ " has no data folder; start it with EmbeddedRedisServer.builder().persistence()");
		}
	}

	/** Deletes the Sentinel configuration folder, if any. */
	synchronized void deleteSentinelConfig() {
		TemporaryFolders.delete(this.sentinelDir);
		this.sentinelDir = null;
	}

	/** Describes the role, for {@code toString()}: empty, a Sentinel, or a replica. */
	String role() {
		return ((this.sentinel != null) ? ", sentinel" : "")
				+ ((this.replicaOfHost != null) ? ", replica of " + this.replicaOfHost + ":" + this.replicaOfPort : "");
	}

	/**
	 * Writes the Sentinel configuration once; later starts reuse it with what Sentinel
	 * rewrote into it.
	 */
	private Path sentinelConfig() {
		try {
			if (this.sentinelDir == null) {
				this.sentinelDir = TemporaryFolders.create("resque-pool-sentinel-");
				Files.writeString(this.sentinelDir.resolve("sentinel.conf"),
						this.sentinel.configuration(this.port, this.sentinelDir), StandardCharsets.UTF_8);
			}
			return this.sentinelDir.resolve("sentinel.conf");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the Sentinel configuration", ex);
		}
	}

	/**
	 * What a Sentinel monitors, from
	 * {@link EmbeddedRedisServer.Builder#sentinelFor(String, String, int, int, Duration, Duration)}.
	 */
	record SentinelSpec(String masterName, String host, int port, int quorum, Duration downAfter,
			Duration failoverTimeout) {

		SentinelSpec {
			if (!masterName.matches("[A-Za-z0-9._-]+")) {
				throw new IllegalArgumentException("Invalid master name '" + masterName + "'");
			}
			if (quorum < 1) {
				throw new IllegalArgumentException("quorum must be >= 1");
			}
		}

		/**
		 * Returns the configuration file of a Sentinel on {@code sentinelPort}. Sentinels
		 * on loopback find each other through the primary; they announce the loopback
		 * address and do not resolve host names.
		 */
		String configuration(int sentinelPort, Path dir) {
			String name = this.masterName;
			return String.join("\n", "port " + sentinelPort, "bind " + EmbeddedRedisServer.HOST, "daemonize no",
					"loglevel warning", "dir " + dir, "sentinel resolve-hostnames no", "sentinel announce-hostnames no",
					"sentinel announce-ip " + EmbeddedRedisServer.HOST,
					"sentinel monitor " + name + " " + this.host + " " + this.port + " " + this.quorum,
					"sentinel down-after-milliseconds " + name + " " + this.downAfter.toMillis(),
					"sentinel failover-timeout " + name + " " + this.failoverTimeout.toMillis(),
					"sentinel parallel-syncs " + name + " 1", "");
		}

	}

}
