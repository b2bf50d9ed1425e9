package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Real Sentinel failovers: kill -9 and SIGSTOP of the primary, each bounded. */
class SentinelRedisTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	@Test
	void startsReadyAndPointsSpringAtTheSentinels() {
		List<Long> pids = new ArrayList<>();
		try (SentinelRedis redis = SentinelRedis.builder().masterName("jobs").start()) {
			assertThat(redis.masterName()).isEqualTo("jobs");
			assertThat(redis.sentinels()).hasSize(1);
			assertThat(redis.primaryAddress())
				.isEqualTo(new SentinelRedis.Address("127.0.0.1", redis.primary().port()));
			assertThat(redis.currentPrimary()).isSameAs(redis.primary());
			assertThat(redis.sentinelNodes()).containsExactly("127.0.0.1:" + redis.sentinels().get(0).port());
			assertThat(redis.springProperties()).containsExactly(entry("spring.data.redis.sentinel.master", "jobs"),
					entry("spring.data.redis.sentinel.nodes", "127.0.0.1:" + redis.sentinels().get(0).port()));
			assertThat(redis.springPropertyValues()).containsExactly("spring.data.redis.sentinel.master=jobs",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + redis.sentinels().get(0).port());
			assertThat(redis.replica().info("replication", "master_link_status")).isEqualTo("up");
			pids.add(redis.primary().pid());
			pids.add(redis.replica().pid());
			redis.sentinels().forEach((s) -> pids.add(s.pid()));
		}
		assertThat(pids).allSatisfy((pid) -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
			.as("process %d is gone", pid)
			.isFalse());
	}

	@Test
	void killingThePrimaryPromotesTheReplica() {
		try (SentinelRedis redis = SentinelRedis.start()) {
			EmbeddedRedisServer primary = redis.primary();
			RedisConnections.call(primary.host(), primary.port(), (commands) -> commands.set("job", "42"));
			// the replica has it
			RedisConnections.call(primary.host(), primary.port(), (commands) -> commands.waitForReplication(1, 5000));

			primary.kill();
			SentinelRedis.Address promoted = redis.awaitFailover(FAILOVER);

			assertThat(promoted).isEqualTo(new SentinelRedis.Address("127.0.0.1", redis.replica().port()));
			assertThat(redis.currentPrimary()).isSameAs(redis.replica());
			assertThat(
					RedisConnections.<String>call(promoted.host(), promoted.port(), (commands) -> commands.get("job")))
				.isEqualTo("42");
			assertThat(RedisConnections.<String>call(promoted.host(), promoted.port(),
					(commands) -> commands.set("after", "failover")))
				.isEqualTo("OK");
		}
	}

	@Test
	void freezingThePrimaryPromotesTheReplicaWithThreeSentinels() {
		try (SentinelRedis redis = SentinelRedis.builder().sentinels(3).start()) {
			assertThat(redis.sentinelNodes()).hasSize(3);
			EmbeddedRedisServer primary = redis.primary();

			primary.freeze();
			SentinelRedis.Address promoted = redis.awaitFailover(FAILOVER);

			assertThat(promoted.port()).isEqualTo(redis.replica().port());
			assertThat(RedisConnections.<List<Object>>call(promoted.host(), promoted.port(),
					(commands) -> commands.role()))
				.first()
				.isEqualTo("master");
			assertThat(primary.isFrozen()).isTrue(); // close() must still stop it
		}
	}

}
