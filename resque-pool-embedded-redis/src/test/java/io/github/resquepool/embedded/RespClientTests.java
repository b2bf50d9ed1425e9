package io.github.resquepool.embedded;

import java.io.UncheckedIOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespClientTests {

	private static EmbeddedRedisServer redis;

	private RespClient client;

	@BeforeAll
	static void startRedis() {
		redis = EmbeddedRedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@BeforeEach
	void connect() {
		client = new RespClient(redis.host(), redis.port());
		client.command("FLUSHALL");
	}

	@AfterEach
	void disconnect() {
		client.close();
	}

	@Test
	void setAndGetRoundTripEveryByteValue() {
		byte[] value = new byte[256 + 4];
		for (int i = 0; i < 256; i++) {
			value[i] = (byte) i;
		}
		System.arraycopy(new byte[] { '\r', '\n', '\r', '\n' }, 0, value, 256, 4);
		byte[] key = { 'k', (byte) 0xff, '\r', '\n', 0 };

		assertThat(client.command("SET".getBytes(UTF_8), key, value)).isEqualTo("OK".getBytes(UTF_8));

		assertThat(client.command("GET".getBytes(UTF_8), key)).isEqualTo(value);
		assertThat(client.command("STRLEN".getBytes(UTF_8), key)).isEqualTo(260L);
	}

	@Test
	void rpushAndLrangeKeepOrderAndExactBytes() {
		byte[] notUtf8 = { (byte) 0xc3, (byte) 0x28, (byte) 0xa0 };

		Object pushed = client.command("RPUSH".getBytes(UTF_8), "queue".getBytes(UTF_8), "first".getBytes(UTF_8),
				notUtf8, new byte[0]);

		assertThat(pushed).isEqualTo(3L);
		Object range = client.command("LRANGE".getBytes(UTF_8), "queue".getBytes(UTF_8), "0".getBytes(UTF_8),
				"-1".getBytes(UTF_8));
		assertThat(range).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly("first".getBytes(UTF_8), notUtf8, new byte[0]);
	}

	@Test
	void stringCommandsSendAndDecodeUtf8() {
		client.command("RPUSH", "list", "héllo ☃", "two");

		assertThat(client.command("LRANGE", "list", "0", "-1")).isEqualTo(List.of("héllo ☃", "two"));
		assertThat(client.command("LINDEX", "list", "0")).isEqualTo("héllo ☃");
	}

	@Test
	void integersAreLongsAndMissingValuesAreNull() {
		assertThat(client.command("INCRBY", "counter", "5000000000")).isEqualTo(5_000_000_000L);
		assertThat(client.command("GET", "missing")).isNull();
		assertThat(client.command("LRANGE", "missing", "0", "-1")).isEqualTo(List.of());
		assertThat(client.command("BLPOP", "missing", "0.01")).isNull(); // null array
	}

	@Test
	void errorRepliesAreThrownAndTheConnectionStaysUsable() {
		assertThatThrownBy(() -> client.command("NOSUCHCOMMAND", "x"))
			.isInstanceOf(RespClient.ErrorReplyException.class)
			.hasMessageStartingWith("ERR unknown command");

		client.command("SET", "text", "abc");
		assertThatThrownBy(() -> client.command("LPUSH", "text", "x"))
			.isInstanceOf(RespClient.ErrorReplyException.class)
			.hasMessageStartingWith("WRONGTYPE");

		assertThat(client.command("PING")).isEqualTo("PONG");
	}

	@Test
	void errorsInsideArraysAreReturnedAsElements() {
		client.command("MULTI");
		client.command("SET", "k", "not a number");
		client.command("INCR", "k");

		List<?> results = (List<?>) client.command("EXEC");

		assertThat(results).hasSize(2);
		assertThat(results.get(0)).isEqualTo("OK");
		assertThat(results.get(1)).isInstanceOf(RespClient.ErrorReplyException.class);
	}

	@Test
	void anEmptyCommandIsRejected() {
		assertThatThrownBy(() -> client.command(new String[0])).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void connectingToAClosedPortFailsWithTheAddress() {
		int port = ServerProcess.freePort();
		assertThatThrownBy(() -> new RespClient("127.0.0.1", port)).isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("127.0.0.1:" + port);
	}

	@Test
	void aClosedClientRefusesCommands() {
		client.close();
		assertThatThrownBy(() -> client.command("PING")).isInstanceOf(IllegalStateException.class);
	}

	// ---------------------------------------------------------------- reply mapping over
	// Lettuce

	@Test
	void simpleAndBulkStringsAreBothBytesInByteMode() {
		client.command("SET", "status", "OK");

		assertThat(client.command("TYPE".getBytes(UTF_8), "status".getBytes(UTF_8)))
			.isEqualTo("string".getBytes(UTF_8));
		assertThat(client.command("PING".getBytes(UTF_8))).isEqualTo("PONG".getBytes(UTF_8));
		assertThat(client.command("GET".getBytes(UTF_8), "status".getBytes(UTF_8))).isEqualTo("OK".getBytes(UTF_8));
		assertThat(client.command("ECHO".getBytes(UTF_8), "PONG".getBytes(UTF_8))).isEqualTo("PONG".getBytes(UTF_8));
	}

	@Test
	void transactionsAnswerQueuedAndExecReturnsNestedReplies() {
		assertThat(client.command("MULTI")).isEqualTo("OK");
		assertThat(client.command("RPUSH", "l", "a", "b")).isEqualTo("QUEUED");
		assertThat(client.command("LRANGE", "l", "0", "-1")).isEqualTo("QUEUED");
		assertThat(client.command("GET", "missing")).isEqualTo("QUEUED");
		assertThat(client.command("LRANGE", "missing", "0", "-1")).isEqualTo("QUEUED");
		assertThat(client.command("PING")).isEqualTo("QUEUED");

		Object results = client.command("EXEC");

		assertThat(results).isEqualTo(java.util.Arrays.asList(2L, List.of("a", "b"), null, List.of(), "PONG"));
	}

	@Test
	void deeplyNestedArraysKeepTheirShape() {
		client.command("XADD", "stream", "1-1", "field", "value");

		Object range = client.command("XRANGE", "stream", "-", "+");

		assertThat(range).isEqualTo(List.of(List.of("1-1", List.of("field", "value"))));
	}

	@Test
	void discardAndSelectArePassedThroughUnchanged() {
		assertThat(client.command("MULTI")).isEqualTo("OK");
		assertThat(client.command("SET", "k", "v")).isEqualTo("QUEUED");
		assertThat(client.command("DISCARD")).isEqualTo("OK");
		assertThat(client.command("SELECT", "2")).isEqualTo("OK");
		assertThat(client.command("DBSIZE")).isEqualTo(0L);
		assertThat(client.command("SELECT", "0")).isEqualTo("OK");
		assertThat(client.command("GET", "k")).isNull();
	}

	@Test
	void aReplyThatTakesLongerThanTheTimeoutFailsAndClosesTheConnection() {
		try (RespClient slow = new RespClient(redis.host(), redis.port(), java.time.Duration.ofMillis(200))) {
			assertThatThrownBy(() -> slow.command("BLPOP", "never", "2")).isInstanceOf(UncheckedIOException.class)
				.hasCauseInstanceOf(java.net.SocketTimeoutException.class)
				.hasMessageContaining("BLPOP");
			assertThatThrownBy(() -> slow.command("PING")).isInstanceOf(IllegalStateException.class);
		}
		assertThat(client.command("PING")).isEqualTo("PONG");
	}

	@Test
	void aServerThatGoesAwayFailsTheNextCommandWithAnIoError() {
		try (EmbeddedRedisServer own = EmbeddedRedisServer.start();
				RespClient doomed = new RespClient(own.host(), own.port())) {
			assertThat(doomed.command("PING")).isEqualTo("PONG");
			own.stop();

			assertThatThrownBy(() -> doomed.command("PING")).isInstanceOf(UncheckedIOException.class);
		}
	}

	@Test
	void lettuceThreadsDoNotKeepTheJvmAlive() {
		client.command("PING");

		assertThat(Thread.getAllStackTraces().keySet()).filteredOn((t) -> t.getName().startsWith("lettuce-"))
			.isNotEmpty()
			.allMatch(Thread::isDaemon, "is a daemon thread");
	}

}
