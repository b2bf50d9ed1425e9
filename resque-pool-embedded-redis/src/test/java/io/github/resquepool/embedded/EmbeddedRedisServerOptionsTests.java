package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
			RespClient.call(primary.host(), primary.port(), "SET", "before-sync", "1");

			replica.awaitSyncedWithPrimary(WAIT);
			RespClient.call(primary.host(), primary.port(), "SET", "after-sync", "2");

			assertThat(replica.info("replication", "role")).isEqualTo("slave");
			assertThat(replica.toString()).contains("replica of 127.0.0.1:" + primary.port());
			awaitValue(replica, "before-sync", "1");
			awaitValue(replica, "after-sync", "2");
			assertThatThrownBy(() -> RespClient.call(replica.host(), replica.port(), "SET", "x", "y"))
				.isInstanceOf(RespClient.ErrorReplyException.class)
				.hasMessageStartingWith("READONLY");
		}
	}

	@Test
	void debugCommandsWorkOnlyWhenEnabled() {
		try (EmbeddedRedisServer debug = EmbeddedRedisServer.builder()
			.enableDebugCommand()
			.args("--maxmemory", "20mb")
			.start(); EmbeddedRedisServer plain = EmbeddedRedisServer.start()) {
			assertThat(RespClient.call(debug.host(), debug.port(), "DEBUG", "SLEEP", "0")).isEqualTo("OK");
			assertThat(RespClient.call(debug.host(), debug.port(), "CONFIG", "GET", "maxmemory"))
				.isEqualTo(List.of("maxmemory", "20971520"));
			assertThatThrownBy(() -> RespClient.call(plain.host(), plain.port(), "DEBUG", "SLEEP", "0"))
				.isInstanceOf(RespClient.ErrorReplyException.class)
				.hasMessageContaining("DEBUG command not allowed");
		}
	}

	@Test
	void aFrozenServerDoesNotAnswerUntilItIsThawed() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.start();
				RespClient connectedBefore = new RespClient(redis.host(), redis.port(), Duration.ofMillis(300))) {
			assertThat(connectedBefore.command("PING")).isEqualTo("PONG");

			redis.freeze();

			assertThat(redis.isFrozen()).isTrue();
			assertThat(redis.isRunning()).isTrue();
			assertThat(redis.toString()).contains("frozen");
			assertThatThrownBy(() -> connectedBefore.command("PING")).isInstanceOf(UncheckedIOException.class)
				.hasCauseInstanceOf(SocketTimeoutException.class);
			assertThatThrownBy(() -> {
				try (RespClient late = new RespClient(redis.host(), redis.port(), Duration.ofMillis(300))) {
					late.command("PING");
				}
			}).isInstanceOf(UncheckedIOException.class);

			redis.thaw();

			assertThat(redis.isFrozen()).isFalse();
			assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
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

			assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
			assertThat(redis.pid()).isNotEqualTo(pid);
		}
	}

	@Test
	void aPersistentServerKeepsItsDataAcrossARestart() {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().persistence().start()) {
			int port = redis.port();
			RespClient.call(redis.host(), port, "SET", "survivor", "yes");

			redis.restart();

			assertThat(redis.port()).isEqualTo(port);
			assertThat(RespClient.call(redis.host(), port, "GET", "survivor")).isEqualTo("yes");
			assertThat(redis.dataDir()).isPresent();
			assertThat(redis.dataDir().get().resolve(EmbeddedRedisServer.RDB_FILE)).exists();
		}
	}

	@Test
	void afterAKillARestartLoadsTheLastSaveOnly(@TempDir Path dir) {
		Path data = dir.resolve("data");
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().dataDir(data).start()) {
			RespClient.call(redis.host(), redis.port(), "SET", "saved", "1");
			redis.save();
			RespClient.call(redis.host(), redis.port(), "SET", "unsaved", "2");

			redis.kill();
			redis.restart();

			assertThat(RespClient.call(redis.host(), redis.port(), "GET", "saved")).isEqualTo("1");
			assertThat(RespClient.call(redis.host(), redis.port(), "GET", "unsaved")).isNull();
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

			assertThatThrownBy(() -> RespClient.call(redis.host(), redis.port(), "GET", "key:0"))
				.isInstanceOf(RespClient.ErrorReplyException.class)
				.hasMessageStartingWith("LOADING");
			assertThat(redis.isLoading()).isTrue();

			redis.awaitLoaded(Duration.ofSeconds(120));

			assertThat(redis.isLoading()).isFalse();
			assertThat(RespClient.call(redis.host(), redis.port(), "DBSIZE")).isEqualTo(20_000L);
			assertThat(RespClient.call(redis.host(), redis.port(), "STRLEN", "key:19999")).isEqualTo(100L);
			assertThat(RespClient.call(redis.host(), redis.port(), "CONFIG", "GET", "key-load-delay"))
				.isEqualTo(List.of("key-load-delay", "100"));

			redis.restart(); // back to full speed

			assertThat(RespClient.call(redis.host(), redis.port(), "CONFIG", "GET", "key-load-delay"))
				.isEqualTo(List.of("key-load-delay", "0"));
			assertThat(RespClient.call(redis.host(), redis.port(), "DBSIZE")).isEqualTo(20_000L);
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
			.untilAsserted(
					() -> assertThat(RespClient.call(server.host(), server.port(), "GET", key)).isEqualTo(value));
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
