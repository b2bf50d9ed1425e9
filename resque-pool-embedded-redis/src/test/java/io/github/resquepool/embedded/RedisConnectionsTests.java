package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisConnectionsTests {

	private static EmbeddedRedisServer redis;

	@BeforeAll
	static void startRedis() {
		redis = EmbeddedRedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@BeforeEach
	void flush() {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(redis.host(), redis.port())) {
			connection.sync().flushall();
		}
	}

	@Test
	void stringConnectionsUseLettucesTypedCommands() {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(redis.host(), redis.port())) {
			RedisCommands<String, String> commands = connection.sync();
			assertThat(commands.rpush("queue:é", "a", "b")).isEqualTo(2L);
			assertThat(commands.lrange("queue:é", 0, -1)).containsExactly("a", "b");
			assertThat(commands.get("missing")).isNull();
		}
	}

	@Test
	void byteConnectionsKeepEveryByte() {
		byte[] notUtf8 = { (byte) 0xc3, (byte) 0x28, (byte) 0xa0, '\r', '\n', 0 };
		byte[] key = { 'k', (byte) 0xff };
		try (StatefulRedisConnection<byte[], byte[]> connection = RedisConnections.openBytes(redis.host(),
				redis.port())) {
			connection.sync().set(key, notUtf8);
			assertThat(connection.sync().get(key)).isEqualTo(notUtf8);
		}
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(redis.host(), redis.port())) {
			assertThat(connection.sync().strlen(new String(key, UTF_8))).isZero();
			assertThat(connection.sync().dbsize()).isEqualTo(1L);
		}
	}

	@Test
	void errorRepliesAreThrownAndTheConnectionStaysUsable() {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(redis.host(), redis.port())) {
			connection.sync().set("text", "x");
			assertThatThrownBy(() -> connection.sync().lpush("text", "y"))
				.isInstanceOf(RedisCommandExecutionException.class)
				.hasMessageStartingWith("WRONGTYPE");
			assertThat(connection.sync().ping()).isEqualTo("PONG");
		}
	}

	@Test
	void connectingToAClosedPortFailsWithTheAddress() {
		int port = ServerProcess.freePort();
		assertThatThrownBy(() -> RedisConnections.open("127.0.0.1", port)).isInstanceOf(RedisConnectionException.class)
			.hasMessageContaining("127.0.0.1:" + port);
	}

	@Test
	void aReplyThatTakesLongerThanTheTimeoutFails() {
		try (StatefulRedisConnection<String, String> slow = RedisConnections.open(redis.host(), redis.port(),
				Duration.ofMillis(200))) {
			assertThatThrownBy(() -> slow.sync().blpop(2, "never")).isInstanceOf(RedisCommandTimeoutException.class);
		}
		assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
	}

	@Test
	void aServerThatGoesAwayFailsTheNextCommand() {
		try (EmbeddedRedisServer own = EmbeddedRedisServer.start();
				StatefulRedisConnection<String, String> doomed = RedisConnections.open(own.host(), own.port())) {
			assertThat(doomed.sync().ping()).isEqualTo("PONG");
			own.stop();

			assertThatThrownBy(() -> doomed.sync().ping()).isInstanceOf(RedisException.class);
		}
	}

	@Test
	void lettuceThreadsDoNotKeepTheJvmAlive() {
		assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");

		List<Thread> lettuce = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith("lettuce-"))
			.toList();
		assertThat(lettuce).isNotEmpty().allMatch(Thread::isDaemon, "is a daemon thread");
	}

}
