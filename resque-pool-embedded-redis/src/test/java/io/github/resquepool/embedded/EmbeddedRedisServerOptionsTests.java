package io.github.resquepool.embedded;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder's options and the fault controls (kill, freeze, thaw, slow loading) on real
 * servers.
 */
class EmbeddedRedisServerOptionsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void aReplicaReceivesWhatIsWrittenToItsPrimary() {
		try (EmbeddedRedisServer primary = EmbeddedRedisServer.start();
				EmbeddedRedisServer replica = EmbeddedRedisServer.builder().replicaOf(primary).start()) {
			RedisConnections.call(primary.host(), primary.port(), (commands) -> commands.set("before-sync", "1"));

			replica.awaitSyncedWithPrimary(WAIT);
			RedisConnections.call(primary.host(), primary.port(), (commands) -> commands.set("after-sync", "2"));

			assertThat(replica.info("replication", "role")).isEqualTo("slave");
			assertThat(replica.toString()).contains("replica of 127.0.0.1:" + primary.port());
			awaitValue(replica, "before-sync", "1");
			awaitValue(replica, "after-sync", "2");
			assertThatThrownBy(
					() -> RedisConnections.call(replica.host(), replica.port(), (commands) -> commands.set("x", "y")))
				.isInstanceOf(RedisCommandExecutionException.class)
				.hasMessageStartingWith("READONLY");
		}
	}

	@Test
	void debugCommandsWorkOnlyWhenEnabled() {
		try (EmbeddedRedisServer debug = EmbeddedRedisServer.builder()
			.enableDebugCommand()
			.args("--maxmemory", "20mb")
			.start(); EmbeddedRedisServer plain = EmbeddedRedisServer.start()) {
			assertThat(debugSleep(debug)).isEqualTo("OK");
			assertThat(RedisConnections.<Map<String, String>>call(debug.host(), debug.port(),
					(commands) -> commands.configGet("maxmemory")))
				.isEqualTo(Map.of("maxmemory", "20971520"));
			assertThatThrownBy(() -> debugSleep(plain)).isInstanceOf(RedisCommandExecutionException.class)
				.hasMessageContaining("DEBUG command not allowed");
		}
	}

	@Test
	void aFrozenServerDoesNotAnswerUntilItIsThawed() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start();
				StatefulRedisConnection<String, String> connectedBefore = RedisConnections.open(redis.host(),
						redis.port(), Duration.ofMillis(300))) {
			assertThat(connectedBefore.sync().ping()).isEqualTo("PONG");

			redis.freeze();

			assertThat(redis.isFrozen()).isTrue();
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.toString()).contains("frozen");
			assertThatThrownBy(() -> connectedBefore.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
			assertThatThrownBy(() -> {
				try (StatefulRedisConnection<String, String> late = RedisConnections.open(redis.host(), redis.port(),
						Duration.ofMillis(300))) {
					late.sync().ping();
				}
			}).isInstanceOf(RedisException.class);

			redis.thaw();

			assertThat(redis.isFrozen()).isFalse();
			assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
		}
	}

	@Test
	void closingAFrozenServerLeavesNoProcessBehind() {
		EmbeddedRedisServer redis = EmbeddedRedisServer.start();
		long pid = redis.pid();
		redis.freeze();

		redis.close();

		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		assertThat(redis.isRunning()).isFalse();
		assertThat(redis.isFrozen()).isFalse();
	}

	@Test
	void killLeavesThePortDeadUntilARestart() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
			long pid = redis.pid();
			assertThat(pid).isEqualTo(Long.parseLong(redis.info("server", "process_id")));

			redis.kill();

			assertThat(redis.isRunning()).isFalse();
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
			assertThat(refusesConnections(redis.port())).isTrue();
			assertThatThrownBy(redis::pid).isInstanceOf(IllegalStateException.class);
			redis.kill(); // nothing left to kill

			redis.restart();

			assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
			assertThat(redis.pid()).isNotEqualTo(pid);
		}
	}

	@Test
	void aPersistentServerKeepsItsDataAcrossARestart() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().persistence().start()) {
			int port = redis.port();
			RedisConnections.call(redis.host(), port, (commands) -> commands.set("survivor", "yes"));

			redis.restart();

			assertThat(redis.port()).isEqualTo(port);
			assertThat(RedisConnections.<String>call(redis.host(), port, (commands) -> commands.get("survivor")))
				.isEqualTo("yes");
			assertThat(redis.dataDir()).isPresent();
			assertThat(redis.dataDir().get().resolve(EmbeddedRedisServer.RDB_FILE)).exists();
		}
	}

	@Test
	void afterAKillARestartLoadsTheLastSaveOnly(@TempDir Path dir) {
		Path data = dir.resolve("data");
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().dataDir(data).start()) {
			RedisConnections.call(redis.host(), redis.port(), (commands) -> commands.set("saved", "1"));
			redis.save();
			RedisConnections.call(redis.host(), redis.port(), (commands) -> commands.set("unsaved", "2"));

			redis.kill();
			redis.restart();

			assertThat(RedisConnections.<String>call(redis.host(), redis.port(), (commands) -> commands.get("saved")))
				.isEqualTo("1");
			assertThat(RedisConnections.<String>call(redis.host(), redis.port(), (commands) -> commands.get("unsaved")))
				.isNull();
		}
		assertThat(data.resolve(EmbeddedRedisServer.RDB_FILE)).exists(); // a given folder
																			// is kept
	}

	@Test
	void theTemporaryDataFolderIsDeletedOnClose() {
		Path data;
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().persistence().start()) {
			data = redis.dataDir().orElseThrow();
			redis.save();
			assertThat(Files.isDirectory(data)).isTrue();
		}
		assertThat(data).doesNotExist();
	}

	@Test
	void aSlowLoadingRestartAnswersLoadingAndThenServesTheData() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().persistence().start()) {
			redis.fill(20_000, 100);

			redis.restartWithSlowLoading(100);

			assertThatThrownBy(
					() -> RedisConnections.call(redis.host(), redis.port(), (commands) -> commands.get("key:0")))
				.isInstanceOf(RedisCommandExecutionException.class)
				.hasMessageStartingWith("LOADING");
			assertThat(redis.isLoading()).isTrue();

			redis.awaitLoaded(Duration.ofSeconds(120));

			assertThat(redis.isLoading()).isFalse();
			assertThat(RedisConnections.<Long>call(redis.host(), redis.port(), (commands) -> commands.dbsize()))
				.isEqualTo(20_000L);
			assertThat(
					RedisConnections.<Long>call(redis.host(), redis.port(), (commands) -> commands.strlen("key:19999")))
				.isEqualTo(100L);
			assertThat(RedisConnections.<Map<String, String>>call(redis.host(), redis.port(),
					(commands) -> commands.configGet("key-load-delay")))
				.isEqualTo(Map.of("key-load-delay", "100"));

			redis.restart(); // back to full speed

			assertThat(RedisConnections.<Map<String, String>>call(redis.host(), redis.port(),
					(commands) -> commands.configGet("key-load-delay")))
				.isEqualTo(Map.of("key-load-delay", "0"));
			assertThat(RedisConnections.<Long>call(redis.host(), redis.port(), (commands) -> commands.dbsize()))
				.isEqualTo(20_000L);
		}
	}

	@Test
	void slowLoadingNeedsADataFolderAndData() {
		try (EmbeddedRedisServer plain = EmbeddedRedisServer.start();
				EmbeddedRedisServer empty = EmbeddedRedisServer.builder().persistence().start()) {
			assertThatThrownBy(() -> plain.restartWithSlowLoading(100)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("persistence()");
			assertThatThrownBy(() -> empty.restartWithSlowLoading(100)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("no keys");
		}
	}

	@Test
	void aSentinelCannotHaveADataFolder() {
		assertThatThrownBy(() -> EmbeddedRedisServer.builder()
			.persistence()
			.sentinelFor("m", "127.0.0.1", 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(3))
			.start()).isInstanceOf(IllegalStateException.class);
	}

	private static void awaitValue(EmbeddedRedisServer server, String key, String value) {
		Eventually.within(WAIT)
			.untilAsserted(() -> assertThat(
					RedisConnections.<String>call(server.host(), server.port(), (commands) -> commands.get(key)))
				.isEqualTo(value));
	}

	/** {@code DEBUG SLEEP 0}: Lettuce has no typed method for it. */
	private static String debugSleep(EmbeddedRedisServer server) {
		return RedisConnections.call(server.host(), server.port(), (commands) -> commands.dispatch(CommandType.DEBUG,
				new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(0)));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	static boolean refusesConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
