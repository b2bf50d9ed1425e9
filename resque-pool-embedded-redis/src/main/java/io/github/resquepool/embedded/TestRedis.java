package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which real Redis server tests use. In this order:
 * <ol>
 * <li>a Testcontainers {@code redis:7} container ({@linkplain #kind() kind}
 * {@value #KIND_TESTCONTAINERS}), when {@code org.testcontainers:testcontainers} is on
 * the classpath and a Docker engine answers;</li>
 * <li>otherwise an {@link EmbeddedRedisServer} ({@value #KIND_EMBEDDED});</li>
 * <li>otherwise, when the embedded binary cannot run on this platform, the server named
 * by the environment variable {@value #EXTERNAL_URL_ENV}, such as
 * {@code redis://localhost:6379} ({@value #KIND_EXTERNAL}); tests flush it, so never
 * point it at a server holding data you need;</li>
 * <li>otherwise {@link #shared()} and {@link #startNew()} throw
 * {@link IllegalStateException} explaining what was tried: tests fail, they are never
 * skipped silently.</li>
 * </ol>
 *
 * <p>
 * Most tests use the {@link #shared()} instance (one per JVM, stopped when the JVM
 * exits), for example through {@link RedisExtension}, and wire it into Spring with
 * {@link #springProperties()}:
 *
 * <pre>{@code
 * &#64;DynamicPropertySource
 * static void redis(DynamicPropertyRegistry registry) {
 *   TestRedis.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
 * }
 *
 * new ApplicationContextRunner().withPropertyValues(TestRedis.shared().springPropertyValues());
 * }</pre>
 *
 * <p>
 * Tests that take Redis down use a private server from {@link #startNew()}, check
 * {@link #canRestart()}, call {@link #stop()} and {@link #restart()}, and
 * {@link #close()} it at the end.
 */
public final class TestRedis implements AutoCloseable {

	/**
	 * Environment variable naming a Redis URL to use when neither Docker nor the embedded
	 * server can run.
	 */
	public static final String EXTERNAL_URL_ENV = "RESQUE_TEST_REDIS_URL";

	/** {@link #kind()} of a Testcontainers {@code redis:7} container. */
	public static final String KIND_TESTCONTAINERS = "testcontainers";

	/** {@link #kind()} of an {@link EmbeddedRedisServer}. */
	public static final String KIND_EMBEDDED = "embedded";

	/** {@link #kind()} of the server named by {@value #EXTERNAL_URL_ENV}. */
	public static final String KIND_EXTERNAL = "external";

	private static final Logger log = LoggerFactory.getLogger(TestRedis.class);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<TestRedis> OPEN = ConcurrentHashMap.newKeySet();

	private static TestRedis sharedInstance;

	private static IllegalStateException sharedFailure;

	private static Boolean dockerAvailable;

	private static boolean hookRegistered;

	private final Backend backend;

	private final boolean shared;

	private TestRedis(Backend backend, boolean shared) {
		this.backend = backend;
		this.shared = shared;
	}

	/**
	 * Returns the Redis server shared by all tests of this JVM, starting it on first use.
	 * It is stopped by a shutdown hook; {@link #close()} on it does nothing.
	 * @return the shared server
	 * @throws IllegalStateException when no Redis server is available (every later call
	 * fails fast with the same explanation)
	 */
	public static synchronized TestRedis shared() {
		if (sharedInstance == null) {
			if (sharedFailure != null) {
				throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
			}
			try {
				sharedInstance = open(true);
			}
			catch (RuntimeException ex) {
				sharedFailure = (ex instanceof IllegalStateException ise) ? ise
						: new IllegalStateException(ex.getMessage(), ex);
				throw sharedFailure;
			}
		}
		return sharedInstance;
	}

	/**
	 * Starts a Redis server of its own for the calling test, chosen in the same order as
	 * {@link #shared()}. Close it when done.
	 * @return a new server
	 * @throws IllegalStateException when no Redis server is available
	 */
	public static TestRedis startNew() {
		return open(false);
	}

	private static TestRedis open(boolean shared) {
		// A lambda, not a method reference, so ContainerRedis (and Testcontainers) is
		// only linked when Docker answers.
		Backend backend = choose(TestRedis::dockerUsable, () -> ContainerRedis.start(), EmbeddedRedis::start,
				System.getenv(EXTERNAL_URL_ENV));
		TestRedis redis = new TestRedis(backend, shared);
		OPEN.add(redis);
		registerShutdownHook();
		log.info("Tests use {} Redis at {}{}", redis.kind(), redis.url(), shared ? " (shared)" : "");
		return redis;
	}

	/**
	 * Applies the selection order. Package-private so that tests can check the order with
	 * fakes.
	 * @param docker whether Testcontainers is present and Docker answers
	 * @param container starts the container backend
	 * @param embedded starts the embedded backend; throws when it cannot run here
	 * @param externalUrl value of {@value #EXTERNAL_URL_ENV}, may be null
	 */
	static Backend choose(BooleanSupplier docker, Supplier<? extends Backend> container,
			Supplier<? extends Backend> embedded, String externalUrl) {
		List<String> tried = new ArrayList<>();
		RuntimeException firstFailure = null;
		if (docker.getAsBoolean()) {
			try {
				return container.get();
			}
			catch (RuntimeException ex) {
				log.warn("Docker answers but the {} container did not start; trying the embedded server",
						ContainerRedis.IMAGE, ex);
				tried.add("Testcontainers " + ContainerRedis.IMAGE + " failed to start (" + ex.getMessage() + ")");
				firstFailure = ex;
			}
		}
		else {
			tried.add("Testcontainers: not on the classpath or no Docker engine answered");
		}
		try {
			return embedded.get();
		}
		catch (RuntimeException ex) {
			tried.add("embedded Redis " + EmbeddedRedisServer.REDIS_VERSION + " cannot run here (" + ex.getMessage()
					+ ")");
			if (firstFailure == null) {
				firstFailure = ex;
			}
			else {
				firstFailure.addSuppressed(ex);
			}
		}
		if (externalUrl != null && !externalUrl.isBlank()) {
			try {
				return ExternalRedis.connect(externalUrl.trim());
			}
			catch (RuntimeException ex) {
				ex.addSuppressed(firstFailure);
				throw ex;
			}
		}
		tried.add(EXTERNAL_URL_ENV + " is not set");
		throw new IllegalStateException("No Redis server for tests. Tried, in order: " + String.join("; ", tried)
				+ ". Fix one of them: start Docker, use a platform with an embedded binary (Linux or macOS on amd64/arm64),"
				+ " or set " + EXTERNAL_URL_ENV + "=redis://host:port to a Redis server the tests may flush.",
				firstFailure);
	}

	private static synchronized boolean dockerUsable() {
		if (dockerAvailable == null) {
			boolean present;
			try {
				ClassLoader loader = TestRedis.class.getClassLoader();
				Class.forName("org.testcontainers.DockerClientFactory", false, loader);
				Class.forName("org.testcontainers.containers.GenericContainer", false, loader);
				present = true;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				present = false;
			}
			dockerAvailable = present && ContainerRedis.dockerAvailable();
			log.debug("Testcontainers present: {}, Docker available: {}", present, dockerAvailable);
		}
		return dockerAvailable;
	}

	private static synchronized void registerShutdownHook() {
		if (!hookRegistered) {
			hookRegistered = true;
			Runtime.getRuntime().addShutdownHook(new Thread(TestRedis::closeAll, "test-redis-shutdown"));
		}
	}

	private static void closeAll() {
		for (TestRedis redis : OPEN) {
			try {
				redis.backend.close();
			}
			catch (RuntimeException ex) {
				// the JVM is exiting; Testcontainers' reaper and the embedded server's
				// own hook clean up the rest
			}
		}
	}

	/** Waits until {@code host:port} answers {@code PING} with {@code PONG}. */
	static void awaitPing(String host, int port, Duration timeout) {
		ReadinessProbe.untilReachable(timeout)
			.pollingEvery(Duration.ofMillis(50))
			.until("Redis at " + host + ":" + port + " to answer PING",
					() -> "PONG".equals(RedisConnections.ping(host, port)));
	}

	/**
	 * Returns the host name or address to connect to.
	 * @return for example {@code 127.0.0.1}, or the Docker host for a container
	 */
	public String host() {
		return backend.host();
	}

	/**
	 * Returns the TCP port to connect to; it stays the same across {@link #restart()}.
	 * @return the port
	 */
	public int port() {
		return backend.port();
	}

	/**
	 * Returns the server's address as a Redis URL.
	 * @return {@code redis://<host>:<port>}
	 */
	public String url() {
		String host = host();
		return "redis://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
	}

	/**
	 * Tells which kind of server this is.
	 * @return {@value #KIND_TESTCONTAINERS}, {@value #KIND_EMBEDDED} or
	 * {@value #KIND_EXTERNAL}
	 */
	public String kind() {
		return backend.kind();
	}

	/**
	 * Tells whether {@link #stop()} and {@link #restart()} are supported: {@code true}
	 * for the container and the embedded server, {@code false} for an external server.
	 * @return whether this server can be stopped and restarted by tests
	 */
	public boolean canRestart() {
		return backend.canRestart();
	}

	/**
	 * Tells whether the server is up: {@code false} after {@link #stop()} until
	 * {@link #restart()}. For an external server, whether it answers {@code PING}.
	 * @return whether the server runs
	 */
	public boolean isRunning() {
		return backend.isRunning();
	}

	/**
	 * Takes the server down; connections are refused until {@link #restart()}. Does
	 * nothing when it is already stopped. Stopping the {@link #shared()} server affects
	 * every test using it.
	 * @throws UnsupportedOperationException when {@link #canRestart()} is {@code false}
	 */
	public void stop() {
		requireRestartable("stop");
		backend.stop();
	}

	/**
	 * Stops the server if it runs and starts it again on the same host and port, then
	 * waits until it answers {@code PING}. The server comes back empty (nothing is
	 * persisted).
	 * @throws UnsupportedOperationException when {@link #canRestart()} is {@code false}
	 * @throws IllegalStateException when the server does not come back
	 */
	public void restart() {
		requireRestartable("restart");
		backend.restart();
	}

	private void requireRestartable(String action) {
		if (!backend.canRestart()) {
			throw new UnsupportedOperationException("Cannot " + action + " the " + kind() + " Redis server at " + url()
					+ "; check canRestart() before trying to simulate a Redis outage.");
		}
	}

	/**
	 * Deletes every key of every database ({@code FLUSHALL}).
	 * @throws io.lettuce.core.RedisException when the server cannot be reached
	 */
	public void flushAll() {
		String reply;
		try (StatefulRedisConnection<String, String> connection = connect()) {
			reply = connection.sync().flushall();
		}
		if (!"OK".equals(reply)) {
			throw new IllegalStateException("FLUSHALL on " + url() + " answered " + reply);
		}
	}

	/**
	 * Opens a Lettuce connection to this server whose keys and values are UTF-8 strings;
	 * use its {@code sync()} commands and close it when done.
	 * @return a new connection
	 * @throws io.lettuce.core.RedisConnectionException when the server cannot be reached
	 * @see RedisConnections
	 */
	public StatefulRedisConnection<String, String> connect() {
		return RedisConnections.open(host(), port());
	}

	/**
	 * Opens a Lettuce connection to this server that sends and returns keys and values
	 * byte for byte, for example ones that are not valid UTF-8; close it when done.
	 * @return a new connection
	 * @throws io.lettuce.core.RedisConnectionException when the server cannot be reached
	 * @see RedisConnections
	 */
	public StatefulRedisConnection<byte[], byte[]> connectBytes() {
		return RedisConnections.openBytes(host(), port());
	}

	/**
	 * Returns the Spring Boot properties that point Spring Data Redis at this server, for
	 * {@code @DynamicPropertySource} or {@code ApplicationContextRunner}.
	 * @return {@code spring.data.redis.host} and {@code spring.data.redis.port}, in that
	 * order
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", host());
		properties.put("spring.data.redis.port", Integer.toString(port()));
		return Collections.unmodifiableMap(properties);
	}

	/**
	 * Returns {@link #springProperties()} as {@code key=value} strings, ready for
	 * {@code ApplicationContextRunner.withPropertyValues(...)} or
	 * {@code @SpringBootTest(properties = ...)}.
	 * @return for example
	 * {@code ["spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379"]}
	 */
	public String[] springPropertyValues() {
		return springProperties().entrySet()
			.stream()
			.map((e) -> e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
	}

	/**
	 * Releases a server from {@link #startNew()}: stops the embedded server or removes
	 * the container (an external server is left alone). Does nothing on the
	 * {@link #shared()} server, which lives until the JVM exits.
	 */
	@Override
	public void close() {
		if (shared) {
			return;
		}
		OPEN.remove(this);
		backend.close();
	}

	@Override
	public String toString() {
		return "TestRedis[" + kind() + " " + url() + (shared ? ", shared" : "") + "]";
	}

	/** What each kind of server provides. */
	interface Backend {

		String kind();

		String host();

		int port();

		boolean canRestart();

		boolean isRunning();

		void stop();

		void restart();

		void close();

	}

}
