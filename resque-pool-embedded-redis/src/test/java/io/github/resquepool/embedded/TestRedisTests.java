package io.github.resquepool.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRedisTests {

	@Test
	void sharedServerIsStartedOnceAndPointsSpringAtIt() {
		TestRedis redis = TestRedis.shared();

		assertThat(TestRedis.shared()).isSameAs(redis);
		assertThat(redis.kind()).isIn(TestRedis.KIND_TESTCONTAINERS, TestRedis.KIND_EMBEDDED, TestRedis.KIND_EXTERNAL);
		assertThat(redis.url()).isEqualTo("redis://" + redis.host() + ":" + redis.port());
		assertThat(redis.springProperties()).containsExactly(
				org.assertj.core.api.Assertions.entry("spring.data.redis.host", redis.host()),
				org.assertj.core.api.Assertions.entry("spring.data.redis.port", Integer.toString(redis.port())));
		assertThat(redis.springPropertyValues()).containsExactly("spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port());
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			assertThat(connection.sync().ping()).isEqualTo("PONG");
		}
	}

	@Test
	void closingTheSharedServerLeavesItRunning() {
		TestRedis redis = TestRedis.shared();
		redis.close();
		assertThat(redis.isRunning()).isTrue();
		assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
	}

	@Test
	void flushAllEmptiesEveryDatabase() {
		try (TestRedis redis = TestRedis.startNew();
				StatefulRedisConnection<String, String> connection = redis.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			commands.set("a", "1");
			commands.select(3);
			commands.set("b", "2");

			redis.flushAll();

			assertThat(commands.dbsize()).isEqualTo(0L);
			commands.select(0);
			assertThat(commands.dbsize()).isEqualTo(0L);
		}
	}

	@Test
	void privateServerCanGoDownAndComeBackOnTheSameAddress() {
		try (TestRedis redis = TestRedis.startNew()) {
			assertThat(redis.canRestart()).isTrue();
			assertThat(redis).isNotSameAs(TestRedis.shared());
			String url = redis.url();

			redis.stop();
			assertThat(redis.isRunning()).isFalse();
			assertThatThrownBy(() -> RedisConnections.ping(redis.host(), redis.port()))
				.isInstanceOf(io.lettuce.core.RedisConnectionException.class);

			redis.restart();
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.url()).isEqualTo(url);
			assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
		}
	}

	// ---------------------------------------------------------------- selection order,
	// with fakes

	@Test
	void dockerComesFirst() {
		List<String> calls = new ArrayList<>();
		TestRedis.Backend chosen = TestRedis.choose(() -> true, fake("container", calls), fake("embedded", calls),
				null);

		assertThat(chosen.kind()).isEqualTo("container");
		assertThat(calls).containsExactly("container");
	}

	@Test
	void embeddedServerIsUsedWithoutDocker() {
		List<String> calls = new ArrayList<>();
		TestRedis.Backend chosen = TestRedis.choose(() -> false, fake("container", calls), fake("embedded", calls),
				"redis://unused:1");

		assertThat(chosen.kind()).isEqualTo("embedded");
		assertThat(calls).containsExactly("embedded");
	}

	@Test
	void embeddedServerIsUsedWhenTheContainerFailsToStart() {
		List<String> calls = new ArrayList<>();
		TestRedis.Backend chosen = TestRedis.choose(() -> true, failing("image pull failed", calls),
				fake("embedded", calls), null);

		assertThat(chosen.kind()).isEqualTo("embedded");
		assertThat(calls).containsExactly("image pull failed", "embedded");
	}

	@Test
	void externalServerIsUsedWhenTheEmbeddedOneCannotRun() {
		try (EmbeddedRedisServer somewhere = EmbeddedRedisServer.start()) {
			List<String> calls = new ArrayList<>();
			TestRedis.Backend chosen = TestRedis.choose(() -> false, fake("container", calls),
					failing("no binary for Windows", calls), somewhere.url());

			assertThat(chosen.kind()).isEqualTo(TestRedis.KIND_EXTERNAL);
			assertThat(chosen.host()).isEqualTo("127.0.0.1");
			assertThat(chosen.port()).isEqualTo(somewhere.port());
			assertThat(chosen.canRestart()).isFalse();
			assertThat(chosen.isRunning()).isTrue();
		}
	}

	@Test
	void withoutAnyServerTheFailureExplainsWhatWasTried() {
		List<String> calls = new ArrayList<>();
		assertThatThrownBy(() -> TestRedis.choose(() -> false, fake("container", calls),
				failing("no binary for Windows", calls), null))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Testcontainers")
			.hasMessageContaining("no binary for Windows")
			.hasMessageContaining(TestRedis.EXTERNAL_URL_ENV);
	}

	@Test
	void anUnreachableExternalServerFailsNamingTheUrl() {
		int port = ServerProcess.freePort();
		assertThatThrownBy(() -> TestRedis.choose(() -> false, fake("container", new ArrayList<>()),
				failing("no binary", new ArrayList<>()), "redis://127.0.0.1:" + port))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(TestRedis.EXTERNAL_URL_ENV + "=redis://127.0.0.1:" + port);
	}

	@Test
	void externalUrlsAreParsed() {
		ExternalRedis plain = ExternalRedis.parse("redis://redis.example:6380");
		assertThat(plain.host()).isEqualTo("redis.example");
		assertThat(plain.port()).isEqualTo(6380);
		assertThat(ExternalRedis.parse("redis://localhost").port()).isEqualTo(6379);
		assertThat(ExternalRedis.parse("redis://[::1]:7000/0").host()).isEqualTo("::1");
		assertThatThrownBy(() -> ExternalRedis.parse("redis://user:secret@localhost:6379"))
			.hasMessageContaining("credentials");
		assertThatThrownBy(() -> ExternalRedis.parse("redis://localhost:6379/2")).hasMessageContaining("database");
		assertThatThrownBy(() -> ExternalRedis.parse("http://localhost:6379"))
			.hasMessageContaining("redis://host:port");
	}

	private static Supplier<TestRedis.Backend> fake(String kind, List<String> calls) {
		return () -> {
			calls.add(kind);
			return new FakeBackend(kind);
		};
	}

	private static Supplier<TestRedis.Backend> failing(String message, List<String> calls) {
		return () -> {
			calls.add(message);
			throw new IllegalStateException(message);
		};
	}

	private record FakeBackend(String kind) implements TestRedis.Backend {
		@Override
		public String host() {
			return "fake";
		}

		@Override
		public int port() {
			return 1;
		}

		@Override
		public boolean canRestart() {
			return false;
		}

		@Override
		public boolean isRunning() {
			return true;
		}

		@Override
		public void stop() {
		}

		@Override
		public void restart() {
		}

		@Override
		public void close() {
		}
	}

}
