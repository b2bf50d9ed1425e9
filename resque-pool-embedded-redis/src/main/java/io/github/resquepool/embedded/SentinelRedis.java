package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Sentinel setup on loopback ports for failover tests: one primary, one replica
 * and one or more Sentinels (all {@link EmbeddedRedisServer}s), with short timeouts so
 * that a failover takes a few seconds.
 *
 * <pre>{@code
 * try (SentinelRedis redis = SentinelRedis.builder().sentinels(3).start()) {
 *   // point the application at redis.springProperties(), write some jobs, then:
 *   redis.primary().kill();          // or freeze()
 *   SentinelRedis.Address promoted = redis.awaitFailover(Duration.ofSeconds(30));
 *   // promoted.port() == redis.replica().port(), and the application must now use it
 * }
 * }</pre>
 *
 * <p>
 * {@link #start()} returns once the replica is in sync and every Sentinel knows the
 * replica and the other Sentinels, so a fault injected right away is detected.
 * {@link #close()} stops everything, frozen servers included.
 */
public final class SentinelRedis implements AutoCloseable {

	/** Master name used when none is given. */
	public static final String DEFAULT_MASTER_NAME = "resque-primary";

	private static final Logger log = LoggerFactory.getLogger(SentinelRedis.class);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	private final String masterName;

	private final EmbeddedRedisServer primary;

	private final EmbeddedRedisServer replica;

	private final List<EmbeddedRedisServer> sentinels;

	private Address knownPrimary;

	private SentinelRedis(String masterName, EmbeddedRedisServer primary, EmbeddedRedisServer replica,
			List<EmbeddedRedisServer> sentinels) {
		this.masterName = masterName;
		this.primary = primary;
		this.replica = replica;
		this.sentinels = List.copyOf(sentinels);
		this.knownPrimary = address(primary);
	}

	/**
	 * Starts a primary, a replica and one Sentinel with the defaults of {@link Builder}.
	 * @return the running setup
	 * @throws IllegalStateException when a server does not start or the Sentinel does not
	 * become ready
	 */
	public static SentinelRedis start() {
		return builder().start();
	}

	/**
	 * Returns a builder to choose the number of Sentinels, the master name and the
	 * timeouts.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the name the Sentinels monitor the primary under.
	 * @return for example {@value #DEFAULT_MASTER_NAME}
	 */
	public String masterName() {
		return masterName;
	}

	/**
	 * Returns the server started as the primary; after a failover it is no longer the
	 * primary.
	 * @return the first primary
	 */
	public EmbeddedRedisServer primary() {
		return primary;
	}

	/**
	 * Returns the server started as the replica; a failover promotes it.
	 * @return the first replica
	 */
	public EmbeddedRedisServer replica() {
		return replica;
	}

	/**
	 * Returns the Sentinels, for example to freeze or kill one of them.
	 * @return the Sentinel servers, in start order
	 */
	public List<EmbeddedRedisServer> sentinels() {
		return sentinels;
	}

	/**
	 * Returns the Sentinels' addresses.
	 * @return {@code host:port} of each Sentinel, such as {@code 127.0.0.1:26379}
	 */
	public List<String> sentinelNodes() {
		return sentinels.stream().map((s) -> s.host() + ":" + s.port()).toList();
	}

	/**
	 * Asks the Sentinels for the primary's address
	 * ({@code SENTINEL get-master-addr-by-name}); the first Sentinel that answers
	 * decides.
	 * @return the primary as the Sentinels report it
	 * @throws IllegalStateException when no Sentinel answers
	 */
	public Address primaryAddress() {
		RuntimeException last = null;
		for (EmbeddedRedisServer sentinel : sentinels) {
			if (!sentinel.isRunning() || sentinel.isFrozen()) {
				continue;
			}
			try {
				return reportedPrimary(sentinel);
			}
			catch (RuntimeException ex) {
				last = ex;
			}
		}
		throw new IllegalStateException("No Sentinel of " + sentinelNodes() + " reports the primary of " + masterName,
				last);
	}

	/**
	 * Returns the server that the Sentinels report as the primary.
	 * @return {@link #primary()} or {@link #replica()}
	 * @throws IllegalStateException when the Sentinels report an address that is neither
	 */
	public EmbeddedRedisServer currentPrimary() {
		Address address = primaryAddress();
		for (EmbeddedRedisServer server : List.of(primary, replica)) {
			if (address.equals(address(server))) {
				return server;
			}
		}
		throw new IllegalStateException(
				"The Sentinels report " + address + " as primary, which is neither " + primary + " nor " + replica);
	}

	/**
	 * Waits until every running Sentinel reports a primary other than the one known
	 * before (the first primary, or the result of the previous call), and that server
	 * answers {@code ROLE} as a master. Inject the fault first, for example
	 * {@code primary().kill()}.
	 * @param timeout how long to wait at most
	 * @return the new primary's address
	 * @throws IllegalStateException when no failover completes within {@code timeout};
	 * the message tells what each Sentinel reported
	 */
	public synchronized Address awaitFailover(Duration timeout) {
		Map<String, String> views = new LinkedHashMap<>();
		Address agreed = Eventually.within(timeout)
			.pollingEvery(POLL_INTERVAL)
			.withDetail(() -> "The Sentinels report " + views)
			.untilPresent("a failover of " + this.masterName + " away from " + this.knownPrimary,
					() -> movedPrimary(views));
		log.info("Sentinels moved {} from {} to {}", this.masterName, this.knownPrimary, agreed);
		this.knownPrimary = agreed;
		return agreed;
	}

	/**
	 * Returns the primary every running Sentinel reports when that is a new one and
	 * answers as a master, else {@code null}; records what each Sentinel said in
	 * {@code views}.
	 */
	private Address movedPrimary(Map<String, String> views) {
		views.clear();
		Address agreed = null;
		boolean allMoved = true;
		for (EmbeddedRedisServer sentinel : this.sentinels) {
			if (!sentinel.isRunning() || sentinel.isFrozen()) {
				continue;
			}
			String node = sentinel.host() + ":" + sentinel.port();
			try {
				Address reported = reportedPrimary(sentinel);
				views.put(node, reported.toString());
				if (reported.equals(this.knownPrimary) || (agreed != null && !agreed.equals(reported))) {
					allMoved = false;
				}
				agreed = reported;
			}
			catch (RuntimeException ex) {
				views.put(node, ex.getMessage());
				allMoved = false;
			}
		}
		return (allMoved && agreed != null && isMaster(agreed)) ? agreed : null;
	}

	/**
	 * Returns the Spring Boot properties that point Spring Data Redis at the Sentinels.
	 * @return {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes} (comma separated {@code host:port}), in
	 * that order
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.sentinel.master", masterName);
		properties.put("spring.data.redis.sentinel.nodes", String.join(",", sentinelNodes()));
		return Collections.unmodifiableMap(properties);
	}

	/**
	 * Returns {@link #springProperties()} as {@code key=value} strings, for
	 * {@code ApplicationContextRunner.withPropertyValues(...)} or
	 * {@code @SpringBootTest(properties = ...)}.
	 * @return the properties as {@code key=value}
	 */
	public String[] springPropertyValues() {
		return springProperties().entrySet()
			.stream()
			.map((e) -> e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
	}

	/**
	 * Stops the Sentinels first (so they do not react to the rest), then the replica and
	 * the primary.
	 */
	@Override
	public void close() {
		RuntimeException failure = null;
		List<EmbeddedRedisServer> all = new ArrayList<>(sentinels);
		all.add(replica);
		all.add(primary);
		for (EmbeddedRedisServer server : all) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "SentinelRedis[" + masterName + ", primary " + primary.port() + ", replica " + replica.port()
				+ ", sentinels " + sentinelNodes() + "]";
	}

	// ---------------------------------------------------------------- helpers

	private Address reportedPrimary(EmbeddedRedisServer sentinel) {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(sentinel.host(),
				sentinel.port(), QUERY_TIMEOUT)) {
			Object reply = sentinel(connection, "get-master-addr-by-name", masterName);
			if (reply instanceof List<?> list && list.size() == 2) {
				return new Address((String) list.get(0), Integer.parseInt((String) list.get(1)));
			}
			throw new IllegalStateException("SENTINEL get-master-addr-by-name " + masterName + " answered " + reply);
		}
	}

	private static boolean isMaster(Address address) {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(address.host(), address.port(),
				QUERY_TIMEOUT)) {
			List<Object> role = connection.sync().role();
			return !role.isEmpty() && "master".equals(role.get(0));
		}
		catch (RedisException ex) {
			return false;
		}
	}

	private static Address address(EmbeddedRedisServer server) {
		return new Address(server.host(), server.port());
	}

	/** Waits until each Sentinel sees the replica, the other Sentinels and a quorum. */
	private void awaitReady() {
		String[] problem = { "" };
		Eventually.within(READY_TIMEOUT)
			.pollingEvery(POLL_INTERVAL)
			.withDetail(() -> problem[0])
			.until("the Sentinels of " + this.masterName + " to become ready", () -> {
				problem[0] = readinessProblem();
				return problem[0] == null;
			});
	}

	private String readinessProblem() {
		for (EmbeddedRedisServer sentinel : sentinels) {
			String node = sentinel.host() + ":" + sentinel.port();
			try (StatefulRedisConnection<String, String> connection = RedisConnections.open(sentinel.host(),
					sentinel.port(), QUERY_TIMEOUT)) {
				List<Map<String, String>> replicas = records(sentinel(connection, "replicas", masterName));
				boolean replicaKnown = replicas.stream()
					.anyMatch((r) -> Integer.toString(replica.port()).equals(r.get("port"))
							&& "ok".equals(r.get("master-link-status")) && !r.getOrDefault("flags", "").contains("down")
							&& !r.getOrDefault("flags", "").contains("disconnected"));
				if (!replicaKnown) {
					return node + " does not know the replica yet: " + replicas;
				}
				int otherSentinels = records(sentinel(connection, "sentinels", masterName)).size();
				if (otherSentinels < sentinels.size() - 1) {
					return node + " knows " + otherSentinels + " of the other " + (sentinels.size() - 1) + " Sentinels";
				}
				connection.sync()
					.dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8),
							new CommandArgs<>(StringCodec.UTF8).add("ckquorum").add(masterName));
			}
			catch (RedisException ex) {
				return node + ": " + ex.getMessage();
			}
		}
		return null;
	}

	/** Turns Sentinel's array of flat {@code [key, value, ...]} arrays into maps. */
	/** Sends {@code SENTINEL <arguments>}, a command Lettuce has no typed method for. */
	private static List<Object> sentinel(StatefulRedisConnection<String, String> connection, String... arguments) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
		for (String argument : arguments) {
			args.add(argument);
		}
		return connection.sync().dispatch(CommandType.SENTINEL, new ArrayOutput<>(StringCodec.UTF8), args);
	}

	private static List<Map<String, String>> records(Object reply) {
		List<Map<String, String>> records = new ArrayList<>();
		if (reply instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof List<?> fields) {
					Map<String, String> record = new LinkedHashMap<>();
					for (int i = 0; i + 1 < fields.size(); i += 2) {
						record.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
					}
					records.add(record);
				}
			}
		}
		return records;
	}

	// ---------------------------------------------------------------- types

	/**
	 * A server address as the Sentinels report it.
	 *
	 * @param host the address, {@code 127.0.0.1} here
	 * @param port the TCP port
	 */
	public record Address(String host, int port) {

		/**
		 * Checks the parts.
		 * @param host the address
		 * @param port the TCP port
		 */
		public Address {
			Objects.requireNonNull(host, "host");
		}

		/** Returns {@code host:port}. */
		@Override
		public String toString() {
			return host + ":" + port;
		}
	}

	/**
	 * Options of a {@link SentinelRedis}; every setting has a default suited to fast
	 * tests.
	 */
	public static final class Builder {

		private String masterName = DEFAULT_MASTER_NAME;

		private int sentinelCount = 1;

		private Duration downAfter = Duration.ofMillis(1000);

		private Duration failoverTimeout = Duration.ofMillis(3000);

		private final List<String> serverArgs = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Sets the name the Sentinels monitor the primary under.
		 * @param name letters, digits, {@code .}, {@code _} or {@code -}; default
		 * {@value #DEFAULT_MASTER_NAME}
		 * @return this builder
		 */
		public Builder masterName(String name) {
			this.masterName = Objects.requireNonNull(name, "name");
			return this;
		}

		/**
		 * Sets how many Sentinels run; the quorum is a majority of them.
		 * @param count 1 (the default) or more; 3 is the smallest setup that survives
		 * losing a Sentinel
		 * @return this builder
		 */
		public Builder sentinels(int count) {
			if (count < 1) {
				throw new IllegalArgumentException("At least one Sentinel is needed");
			}
			this.sentinelCount = count;
			return this;
		}

		/**
		 * Sets Sentinel's {@code down-after-milliseconds}: how long the primary may not
		 * answer before it counts as down.
		 * @param downAfter default 1 second
		 * @return this builder
		 */
		public Builder downAfter(Duration downAfter) {
			this.downAfter = Objects.requireNonNull(downAfter, "downAfter");
			return this;
		}

		/**
		 * Sets Sentinel's {@code failover-timeout}; a failover that failed is retried
		 * after twice this.
		 * @param failoverTimeout default 3 seconds
		 * @return this builder
		 */
		public Builder failoverTimeout(Duration failoverTimeout) {
			this.failoverTimeout = Objects.requireNonNull(failoverTimeout, "failoverTimeout");
			return this;
		}

		/**
		 * Adds {@code redis-server} arguments for the primary and the replica (not the
		 * Sentinels), for example {@code "--enable-debug-command", "local"}.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder serverArgs(String... args) {
			this.serverArgs.addAll(List.of(args));
			return this;
		}

		/**
		 * Starts the primary, the replica and the Sentinels, and waits until the
		 * Sentinels are ready.
		 * @return the running setup
		 * @throws IllegalStateException when a server does not start or the Sentinels do
		 * not become ready within 30 seconds; everything started is stopped again
		 */
		public SentinelRedis start() {
			List<EmbeddedRedisServer> started = new ArrayList<>();
			try {
				EmbeddedRedisServer primary = EmbeddedRedisServer.builder().args(serverArgs).start();
				started.add(primary);
				EmbeddedRedisServer replica = EmbeddedRedisServer.builder().args(serverArgs).replicaOf(primary).start();
				started.add(replica);
				replica.awaitSyncedWithPrimary(READY_TIMEOUT);
				int quorum = sentinelCount / 2 + 1;
				List<EmbeddedRedisServer> sentinels = new ArrayList<>();
				for (int i = 0; i < sentinelCount; i++) {
					EmbeddedRedisServer sentinel = EmbeddedRedisServer.builder()
						.sentinelFor(masterName, primary.host(), primary.port(), quorum, downAfter, failoverTimeout)
						.start();
					started.add(sentinel);
					sentinels.add(sentinel);
				}
				SentinelRedis redis = new SentinelRedis(masterName, primary, replica, sentinels);
				redis.awaitReady();
				log.info("Started {}", redis);
				return redis;
			}
			catch (RuntimeException ex) {
				for (EmbeddedRedisServer server : started) {
					try {
						server.close();
					}
					catch (RuntimeException suppressed) {
						ex.addSuppressed(suppressed);
					}
				}
				throw ex;
			}
		}

	}

}
