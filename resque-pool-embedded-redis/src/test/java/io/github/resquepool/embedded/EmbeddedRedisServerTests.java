package io.github.resquepool.embedded;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedRedisServerTests {

	@Test
	void startsOnAFreeLoopbackPortAndAnswersPing() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.host()).isEqualTo("127.0.0.1");
			assertThat(redis.port()).isPositive();
			assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
			assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
			assertThat(RedisConnections.<String>call(redis.host(), redis.port(), (commands) -> commands.info("server")))
				.contains("redis_version:" + EmbeddedRedisServer.REDIS_VERSION);
		}
	}

	@Test
	void startsOnTheRequestedPort() {
		int port = ServerProcess.freePort();
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(port)) {
			assertThat(redis.port()).isEqualTo(port);
			assertThat(RedisConnections.ping("127.0.0.1", port)).isEqualTo("PONG");
		}
	}

	@Test
	void runsWithoutPersistenceAndWithExtraArguments() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, List.of("--maxmemory", "10mb"));
				StatefulRedisConnection<String, String> connection = RedisConnections.open(redis.host(),
						redis.port())) {
			assertThat(connection.sync().configGet("maxmemory")).isEqualTo(Map.of("maxmemory", "10485760"));
			assertThat(connection.sync().configGet("save")).isEqualTo(Map.of("save", ""));
			assertThat(connection.sync().configGet("appendonly")).isEqualTo(Map.of("appendonly", "no"));
			assertThat(connection.sync().configGet("bind")).isEqualTo(Map.of("bind", "127.0.0.1"));
		}
	}

	@Test
	void restartKeepsThePortAndComesBackEmpty() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			int port = redis.port();
			RedisConnections.call(redis.host(), port, (commands) -> commands.set("survivor", "no"));

			redis.restart();

			assertThat(redis.port()).isEqualTo(port);
			assertThat(redis.isRunning()).isTrue();
			assertThat(RedisConnections.ping(redis.host(), port)).isEqualTo("PONG");
			assertThat(RedisConnections.<String>call(redis.host(), port, (commands) -> commands.get("survivor")))
				.isNull();
		}
	}

	@Test
	void restartAfterStopBringsTheServerBackOnTheSamePort() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			redis.stop();
			assertThat(EmbeddedRedisServerOptionsTests.refusesConnections(redis.port())).isTrue();

			redis.restart();

			assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
		}
	}

	@Test
	void stopKillsTheProcessSoThePortRefusesConnections() {
		EmbeddedRedisServer redis = EmbeddedRedisServer.start();
		long pid = serverPid(redis);

		redis.stop();

		assertThat(redis.isRunning()).isFalse();
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		assertThat(EmbeddedRedisServerOptionsTests.refusesConnections(redis.port())).isTrue();
		redis.stop(); // idempotent
		redis.close();
		assertThat(redis.isRunning()).isFalse();
	}

	@Test
	void twoServersRunSideBySideOnDifferentPorts() {
		try (EmbeddedRedisServer first = EmbeddedRedisServer.start();
				EmbeddedRedisServer second = EmbeddedRedisServer.start()) {
			assertThat(first.port()).isNotEqualTo(second.port());
			RedisConnections.call(first.host(), first.port(), (commands) -> commands.set("owner", "first"));
			RedisConnections.call(second.host(), second.port(), (commands) -> commands.set("owner", "second"));

			assertThat(RedisConnections.<String>call(first.host(), first.port(), (commands) -> commands.get("owner")))
				.isEqualTo("first");
			assertThat(RedisConnections.<String>call(second.host(), second.port(), (commands) -> commands.get("owner")))
				.isEqualTo("second");
			assertThat(serverPid(first)).isNotEqualTo(serverPid(second));
		}
	}

	@Test
	void startingOnAPortThatIsTakenFailsAndNamesThePort() {
		try (EmbeddedRedisServer first = EmbeddedRedisServer.start()) {
			assertThatThrownBy(() -> EmbeddedRedisServer.start(first.port())).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(Integer.toString(first.port()));
			assertThat(RedisConnections.ping(first.host(), first.port())).isEqualTo("PONG");
		}
	}

	@Test
	void startingOnAPortHeldByAnotherProgramFailsWithTheServerOutput() throws IOException {
		try (java.net.ServerSocket other = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			assertThatThrownBy(() -> EmbeddedRedisServer.start(other.getLocalPort()))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("exited with code 1")
				.hasMessageContaining("Failed listening on port " + other.getLocalPort());
		}
	}

	private static long serverPid(EmbeddedRedisServer redis) {
		String info = RedisConnections.call(redis.host(), redis.port(), (commands) -> commands.info("server"));
		return info.lines()
			.filter((l) -> l.startsWith("process_id:"))
			.mapToLong((l) -> Long.parseLong(l.substring("process_id:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

}
