package io.github.resquepool.embedded;

/**
 * The embedded backend of {@link TestRedis}: an {@link EmbeddedRedisServer} of its own.
 */
final class EmbeddedRedis implements TestRedis.Backend {

	private final EmbeddedRedisServer server;

	EmbeddedRedis(EmbeddedRedisServer server) {
		this.server = server;
	}

	static EmbeddedRedis start() {
		return new EmbeddedRedis(EmbeddedRedisServer.start());
	}

	@Override
	public String kind() {
		return TestRedis.KIND_EMBEDDED;
	}

	@Override
	public String host() {
		return server.host();
	}

	@Override
	public int port() {
		return server.port();
	}

	@Override
	public boolean canRestart() {
		return true;
	}

	@Override
	public boolean isRunning() {
		return server.isRunning();
	}

	@Override
	public void stop() {
		server.stop();
	}

	@Override
	public void restart() {
		server.restart();
	}

	@Override
	public void close() {
		server.stop();
	}

}
