package io.github.resquepool.autoconfigure;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.resquepool.resque.RedisUrls;

/**
 * The Lettuce client the pool connects with: either a client of its own, built from
 * {@code resque.redis.url}, or the client of the chosen Lettuce connection factory,
 * looked up again for every new connection so that a factory that was stopped and started
 * again is used as it is now.
 */
public final class ResqueLettuceClient implements Supplier<RedisClient>, DisposableBean {

	private final Supplier<RedisClient> clients;

	private final String description;

	private final Runnable shutdown;

	private ResqueLettuceClient(Supplier<RedisClient> clients, String description, Runnable shutdown) {
		this.clients = clients;
		this.description = description;
		this.shutdown = shutdown;
	}

	/**
	 * A client of Resque's own on {@code resque.redis.*}.
	 * @param properties the properties
	 * @param resources the client resources of Spring Boot, or {@code null} to create
	 * (and later shut down) our own
	 * @param sslBundles the SSL bundles, or {@code null}
	 * @return the client
	 */
	static ResqueLettuceClient dedicated(ResqueRedisProperties properties, ClientResources resources,
			SslBundles sslBundles) {
		RedisURI uri;
		try {
			checkHostAndPort(properties.getUrl());
			uri = RedisURI.create(properties.getUrl());
		}
		catch (RuntimeException ex) {
			throw new InvalidResquePoolPropertyException("resque.redis.url", RedisUrls.mask(properties.getUrl()),
					"is not a Redis URL (" + RedisUrls.mask(ex.getMessage()) + ")",
					"Use redis://[user:password@]host:port[/db], rediss:// for TLS, or "
							+ "redis-sentinel://host:26379[,host2:26379]/db#master.");
		}
		if (properties.getClientName() != null) {
			uri.setClientName(properties.getClientName());
		}
		boolean ssl = properties.getSsl().isEnabled() || properties.getSsl().getBundle() != null;
		if (ssl) {
			uri.setSsl(true);
		}
		ClientResources used = (resources != null) ? resources : DefaultClientResources.create();
		RedisClient client = RedisClient.create(used, uri);
		ClientOptions.Builder options = ClientOptions.builder()
			.socketOptions(
					SocketOptions.builder().connectTimeout(properties.getConnectTimeout()).keepAlive(true).build());
		if (properties.getSsl().getBundle() != null) {
			options.sslOptions(sslOptions(properties.getSsl().getBundle(), sslBundles));
		}
		client.setOptions(options.build());
		Runnable shutdown = () -> {
			client.shutdown();
			if (resources == null) {
				used.shutdown();
			}
		};
		return new ResqueLettuceClient(() -> client, "resque.redis.url " + redacted(uri), shutdown);
	}

	private static SslOptions sslOptions(String bundleName, SslBundles sslBundles) {
		if (sslBundles == null) {
			throw new InvalidResquePoolPropertyException("resque.redis.ssl.bundle", bundleName,
					"no SSL bundles are configured", "Define the bundle under spring.ssl.bundle.*.");
		}
		SslBundle bundle = sslBundles.getBundle(bundleName);
		return SslOptions.builder()
			.jdkSslProvider()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory())
			.build();
	}

	/**
	 * The client of a connection factory.
	 * @param factory the factory
	 * @param name how to name it in messages
	 * @return the client
	 */
	static ResqueLettuceClient of(RedisConnectionFactory factory, String name) {
		if (!(factory instanceof LettuceConnectionFactory lettuce)) {
			throw new InvalidResquePoolPropertyException("spring.data.redis.client-type",
					factory.getClass().getSimpleName(), "resque-pool needs a Lettuce connection factory",
					"Set spring.data.redis.client-type=lettuce (or remove Jedis from the class path), or give Resque "
							+ "its own Redis with resque.redis.url.");
		}
		if (lettuce.isClusterAware()) {
			throw new InvalidResquePoolPropertyException("spring.data.redis.cluster.nodes", "cluster",
					"Resque keeps its data on one Redis and its scripts touch many keys, which a cluster does not allow",
					"Point spring.data.redis.* at a standalone Redis or a Sentinel-managed primary, or give Resque "
							+ "its own Redis with resque.redis.url.");
		}
		Supplier<RedisClient> clients = () -> {
			AbstractRedisClient client = lettuce.getRequiredNativeClient();
			if (client instanceof RedisClient redisClient) {
				return redisClient;
			}
			throw new IllegalStateException(
					"the Redis connection factory " + name + " has no standalone Lettuce client");
		};
		return new ResqueLettuceClient(clients, name, () -> {
		});
	}

	/**
	 * Refuses a master/replica set-up, whose writes a plain connection could send to a
	 * replica.
	 * @param masterReplicaNodes {@code spring.data.redis.masterreplica.nodes}, or empty
	 */
	static void checkNotMasterReplica(List<String> masterReplicaNodes) {
		if (!masterReplicaNodes.isEmpty()) {
			throw new InvalidResquePoolPropertyException("spring.data.redis.masterreplica.nodes",
					String.join(",", masterReplicaNodes),
					"resque-pool writes on every command (its scripts take and record jobs) and needs the primary "
							+ "itself, which a static master/replica set-up does not tell it",
					"Give Resque its own Redis with resque.redis.url pointing at the primary, or use "
							+ "spring.data.redis.sentinel.* so that failovers are followed.");
		}
	}

	private static String redacted(RedisURI uri) {
		return RedisUrls.mask(uri.toString());
	}

	/**
	 * Lettuce takes {@code redis://host:port/0} with a port that is no number as a host
	 * name and fails only when it connects; such a URL is refused at the start instead.
	 */
	private static void checkHostAndPort(String url) {
		URI parsed = URI.create(url);
		String scheme = String.valueOf(parsed.getScheme()).toLowerCase(Locale.ROOT);
		if ((scheme.equals("redis") || scheme.equals("rediss")) && parsed.getHost() == null) {
			throw new IllegalArgumentException("no host, or a port that is not a number from 1 to 65535");
		}
		if (parsed.getPort() > 65535) {
			throw new IllegalArgumentException("the port " + parsed.getPort() + " is above 65535");
		}
	}

	@Override
	public RedisClient get() {
		return this.clients.get();
	}

	/**
	 * @return where the client connects, for messages
	 */
	public String description() {
		return this.description;
	}

	@Override
	public void destroy() {
		this.shutdown.run();
	}

}
