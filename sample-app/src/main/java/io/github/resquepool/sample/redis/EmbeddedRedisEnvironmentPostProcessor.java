package io.github.resquepool.sample.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import io.github.resquepool.embedded.EmbeddedRedisServer;

/**
 * Finds the application a Redis, before the Redis connection factory is created:
 * <ol>
 * <li>{@code spring.data.redis.*} when any of its connection properties is set;</li>
 * <li>otherwise {@code REDIS_URL} (as Heroku and similar platforms set it), mapped to
 * {@code spring.data.redis.url};</li>
 * <li>otherwise an {@link EmbeddedRedisServer} started here, on port 6379 when it is free
 * and on a free port otherwise ({@code resque.sample.embedded-redis.port}, 0 for any free
 * port), with {@code spring.data.redis.host} and {@code port} pointed at it by the
 * property source {@value #PROPERTY_SOURCE_NAME}. It stops when the application context
 * closes, after the pool has stopped, or at the latest when the JVM exits. Switch this
 * off with {@code resque.sample.embedded-redis.enabled=false}.</li>
 * </ol>
 * Registered in {@code META-INF/spring.factories}. Runs after every other environment
 * post processor, so that {@code application.yml}, profiles and test properties are all
 * visible.
 */
public class EmbeddedRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The name of the property source that points Spring Data Redis at the embedded
	 * server.
	 */
	public static final String PROPERTY_SOURCE_NAME = "embeddedRedis";

	/** The name of the property source that maps {@code REDIS_URL}. */
	public static final String REDIS_URL_PROPERTY_SOURCE_NAME = "redisUrl";

	/** The name of the embedded server's bean, registered when the server was started. */
	public static final String BEAN_NAME = "embeddedRedisServer";

	static final String ENABLED_PROPERTY = "resque.sample.embedded-redis.enabled";

	static final String PORT_PROPERTY = "resque.sample.embedded-redis.port";

	static final int DEFAULT_PORT = 6379;

	/** Any of these set means the application has its own Redis. */
	static final List<String> REDIS_PROPERTIES = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
			"spring.data.redis.cluster.nodes", "spring.data.redis.masterreplica.nodes");

	private final Log log;

	public EmbeddedRedisEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(EmbeddedRedisEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (isRedisConfigured(environment)) {
			return;
		}
		String redisUrl = environment.getProperty("REDIS_URL");
		if (StringUtils.hasText(redisUrl)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(REDIS_URL_PROPERTY_SOURCE_NAME,
						Map.of("spring.data.redis.url", redisUrl.trim())));
			this.log.info("Using the Redis at REDIS_URL (" + withoutPassword(redisUrl.trim()) + ")");
			return;
		}
		if (!environment.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
			return;
		}
		if (!EmbeddedRedisServer.isPlatformSupported()) {
			this.log.warn("No Redis configured, and the embedded Redis has no binary for this platform ("
					+ System.getProperty("os.name") + " " + System.getProperty("os.arch")
					+ "): connecting to localhost:6379. Set spring.data.redis.host/port or REDIS_URL to use another Redis.");
			return;
		}
		EmbeddedRedisServer server = start(environment.getProperty(PORT_PROPERTY, Integer.class, DEFAULT_PORT));
		// The pool drains its jobs against Redis during shutdown; this application stops
		// the server
		// as its last step, so the JVM's own hook waits for that (up to the shutdown
		// phase timeout).
		server.holdOnShutdown(Duration.ofSeconds(40));
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", server.host());
		properties.put("spring.data.redis.port", server.port());
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		if (application != null) {
			application.addListeners(new EmbeddedRedisLifecycle(server, BEAN_NAME));
		}
		this.log.info("No Redis configured: started embedded Redis " + EmbeddedRedisServer.REDIS_VERSION + " on "
				+ server.host() + ":" + server.port() + " (data is not saved)");
	}

	static boolean isRedisConfigured(ConfigurableEnvironment environment) {
		return REDIS_PROPERTIES.stream().anyMatch(environment::containsProperty);
	}

	private EmbeddedRedisServer start(int preferredPort) {
		if (preferredPort != 0) {
			if (isFree(preferredPort)) {
				try {
					return EmbeddedRedisServer.start(preferredPort);
				}
				catch (IllegalStateException ex) {
					// Taken in the meantime (or the server failed, and will fail again
					// below).
					this.log.debug("Could not start the embedded Redis on port " + preferredPort, ex);
				}
			}
			this.log.info("Port " + preferredPort + " is in use; the embedded Redis takes a free port instead");
		}
		return EmbeddedRedisServer.start();
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true); // as redis-server does, so TIME_WAIT leftovers
											// do not count
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static String withoutPassword(String url) {
		try {
			URI uri = URI.create(url);
			if (uri.getHost() == null) {
				return "unparseable URL";
			}
			return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
		}
		catch (IllegalArgumentException ex) {
			return "unparseable URL";
		}
	}

}
