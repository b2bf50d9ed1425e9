package io.github.resquepool.embedded;

import java.io.IOException;
import java.util.List;

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
			assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
			assertThat((String) RespClient.call(redis.host(), redis.port(), "INFO", "server"))
				.contains("redis_version:" + EmbeddedRedisServer.REDIS_VERSION);
		}
	}

	@Test
	void startsOnTheRequestedPort() {
		int port = ServerProcess.freePort();
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(port)) {
			assertThat(redis.port()).isEqualTo(port);
			assertThat(RespClient.call("127.0.0.1", port, "PING")).isEqualTo("PONG");
		}
	}

	@Test
	void runsWithoutPersistenceAndWithExtraArguments() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, List.of("--maxmemory", "10mb"));
				RespClient client = new RespClient(redis.host(), redis.port())) {
			assertThat(client.command("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10485760"));
			assertThat(client.command("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
			assertThat(client.command("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
			assertThat(client.command("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
		}
	}

	@Test
	void restartKeepsThePortAndComesBackEmpty() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			int port = redis.port();
			RespClient.call(redis.host(), port, "SET", "survivor", "no");

			redis.restart();

			assertThat(redis.port()).isEqualTo(port);
			assertThat(redis.isRunning()).isTrue();
			assertThat(RespClient.call(redis.host(), port, "PING")).isEqualTo("PONG");
			assertThat(RespClient.call(redis.host(), port, "GET", "survivor")).isNull();
		}
	}

	@Test
	void restartAfterStopBringsTheServerBackOnTheSamePort() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			redis.stop();
			assertThat(EmbeddedRedisServerOptionsTests.refusesConnections(redis.port())).isTrue();

			redis.restart();

			assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
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
			RespClient.call(first.host(), first.port(), "SET", "owner", "first");
			RespClient.call(second.host(), second.port(), "SET", "owner", "second");

			assertThat(RespClient.call(first.host(), first.port(), "GET", "owner")).isEqualTo("first");
			assertThat(RespClient.call(second.host(), second.port(), "GET", "owner")).isEqualTo("second");
			assertThat(serverPid(first)).isNotEqualTo(serverPid(second));
		}
	}

	@Test
	void startingOnAPortThatIsTakenFailsAndNamesThePort() {
		try (EmbeddedRedisServer first = EmbeddedRedisServer.start()) {
			assertThatThrownBy(() -> EmbeddedRedisServer.start(first.port())).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(Integer.toString(first.port()));
			assertThat(RespClient.call(first.host(), first.port(), "PING")).isEqualTo("PONG");
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
		String info = (String) RespClient.call(redis.host(), redis.port(), "INFO", "server");
		return info.lines()
			.filter((l) -> l.startsWith("process_id:"))
			.mapToLong((l) -> Long.parseLong(l.substring("process_id:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

}
