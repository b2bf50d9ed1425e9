package io.github.resquepool.embedded;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Backend over a server named by {@value TestRedis#EXTERNAL_URL_ENV}; never stopped by
 * tests.
 */
final class ExternalRedis implements TestRedis.Backend {

	private final String host;

	private final int port;

	private ExternalRedis(String host, int port) {
		this.host = host;
		this.port = port;
	}

	static ExternalRedis connect(String url) {
		ExternalRedis redis = parse(url);
		try {
			String pong = RedisConnections.ping(redis.host, redis.port);
			if (!"PONG".equals(pong)) {
				throw new IllegalStateException("PING answered " + pong);
			}
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The Redis server named by " + TestRedis.EXTERNAL_URL_ENV + "=" + url
					+ " does not answer PING: " + ex.getMessage(), ex);
		}
		return redis;
	}

	static ExternalRedis parse(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(
					TestRedis.EXTERNAL_URL_ENV + "=" + url + " is not a valid URL: " + ex.getMessage(), ex);
		}
		if (!"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
			throw new IllegalStateException(
					TestRedis.EXTERNAL_URL_ENV + "=" + url + " must look like redis://host:port");
		}
		if (uri.getUserInfo() != null) {
			throw new IllegalStateException(TestRedis.EXTERNAL_URL_ENV + "=" + url
					+ " has credentials; tests only support a Redis server without authentication");
		}
		String path = uri.getPath();
		if (path != null && !path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
			throw new IllegalStateException(
					TestRedis.EXTERNAL_URL_ENV + "=" + url + " selects a database; tests only use database 0");
		}
		String host = uri.getHost();
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return new ExternalRedis(host, (uri.getPort() < 0) ? 6379 : uri.getPort());
	}

	@Override
	public String kind() {
		return TestRedis.KIND_EXTERNAL;
	}

	@Override
	public String host() {
		return host;
	}

	@Override
	public int port() {
		return port;
	}

	@Override
	public boolean canRestart() {
		return false;
	}

	@Override
	public boolean isRunning() {
		try {
			return "PONG".equals(RedisConnections.ping(host, port));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("An external Redis server cannot be stopped by tests");
	}

	@Override
	public void restart() {
		throw new UnsupportedOperationException("An external Redis server cannot be restarted by tests");
	}

	@Override
	public void close() {
		// not ours to stop
	}

}
