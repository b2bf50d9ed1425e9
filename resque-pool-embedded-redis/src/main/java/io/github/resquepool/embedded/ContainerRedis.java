package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers backend of {@link TestRedis}: a {@code redis:7} container. This is
 * the only class that refers to Testcontainers; {@link TestRedis} touches it only after
 * checking that Testcontainers is on the classpath, since it is an optional dependency.
 *
 * <p>
 * The container's port 6379 is published on a fixed host port chosen up front, so that a
 * {@linkplain #restart() restart} (Docker stop + start of the same container) keeps host
 * and port. Like the embedded server, it runs without persistence, so a restart loses all
 * data.
 */
final class ContainerRedis implements TestRedis.Backend {

	static final String IMAGE = "redis:7";

	private static final int REDIS_PORT = 6379;

	private static final Logger log = LoggerFactory.getLogger(ContainerRedis.class);

	private final GenericContainer<?> container;

	private final String host;

	private final int port;

	private boolean running = true;

	private ContainerRedis(GenericContainer<?> container) {
		this.container = container;
		this.host = container.getHost();
		this.port = container.getMappedPort(REDIS_PORT);
	}

	/** Asks Testcontainers whether a Docker engine answers; any failure means no. */
	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Exception | LinkageError ex) {
			log.debug("Docker availability check failed", ex);
			return false;
		}
	}

	static ContainerRedis start() {
		int hostPort = ServerProcess.freePort();
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
			.withExposedPorts(REDIS_PORT)
			.withCommand("redis-server", "--save", "", "--appendonly", "no");
		container.setPortBindings(List.of(hostPort + ":" + REDIS_PORT));
		try {
			container.start();
			ContainerRedis redis = new ContainerRedis(container);
			TestRedis.awaitPing(redis.host, redis.port, Duration.ofSeconds(10));
			return redis;
		}
		catch (RuntimeException ex) {
			try {
				container.stop();
			}
			catch (RuntimeException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw ex;
		}
	}

	@Override
	public String kind() {
		return TestRedis.KIND_TESTCONTAINERS;
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
		return true;
	}

	@Override
	public synchronized boolean isRunning() {
		return running;
	}

	@Override
	public synchronized void stop() {
		if (!running) {
			return;
		}
		DockerClient docker = container.getDockerClient();
		docker.stopContainerCmd(container.getContainerId()).withTimeout(5).exec();
		running = false;
	}

	@Override
	public synchronized void restart() {
		stop();
		container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
		running = true;
		TestRedis.awaitPing(host, port, Duration.ofSeconds(10));
	}

	@Override
	public synchronized void close() {
		running = false;
		container.stop();
	}

}
