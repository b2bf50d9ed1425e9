package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container restarted in place: the new JVM has the same host name and pid (often 1) as
 * the dead one, whose pool record still looks alive (it beat a moment ago). The new pool
 * must take it for its predecessor and recover its jobs at start, without waiting for
 * {@code recovery-timeout}. The predecessor's records are written as that dead pool left
 * them, under this very JVM's host name and pid, which is the only way to get a pid again
 * in a test.
 */
@Timeout(60)
class PredecessorRecoveryTests {

	private static final String HOST = "restarted-container";

	private EmbeddedRedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void aPoolOfThisHostAndPidThatStillLooksAliveIsRecoveredAtStartWithoutWaiting() {
		this.server = EmbeddedRedisServer.start(0, List.of());
		long pid = ProcessHandle.current().pid();
		String deadPool = HOST + ":" + pid + ":dead01";
		String deadWorker = HOST + ":" + pid + "-999:" + Rel.QUEUE;
		String payload = RelJobs.payload("inherited", 10);
		try (StatefulRedisConnection<String, String> client = RedisConnections.open(this.server.host(),
				this.server.port())) {
			long now = redisMillis(client);
			client.sync().zadd(Rel.POOLS, now, deadPool);
			client.sync().hset("resque:resquepool:pool:" + deadPool, "beat", String.valueOf(now));
			client.sync().sadd("resque:resquepool:pool:" + deadPool + ":workers", deadWorker);
			client.sync().sadd("resque:workers", deadWorker);
			client.sync()
				.set("resque:worker:" + deadWorker, "{\"queue\":\"" + Rel.QUEUE
						+ "\",\"run_at\":\"2026/12/01 10:00:00 UTC\",\"payload\":" + payload + "}");
			// A recovery timeout far longer than the test: only predecessor recovery can
			// bring the job back.
			Rel.inProcessPool(this.server.host(), this.server.port(), "resque.pool.hostname=" + HOST,
					"resque.pool.recovery-timeout=10m", "resque.pool.groups.g.count=1")
				.run((context) -> {
					Rel.await(Duration.ofSeconds(20), () -> Rel.list(client, RelJobs.DONE).contains("inherited"),
							() -> "the predecessor's job runs again");
					assertThat(client.sync().zrange(Rel.POOLS, 0, -1)).doesNotContain(deadPool);
					assertThat(client.sync().smembers("resque:workers")).doesNotContain(deadWorker)
						.singleElement()
						.satisfies((id) -> assertThat(id).startsWith(HOST + ":" + pid + "-"));
					assertThat(client.sync().exists("resque:worker:" + deadWorker)).isEqualTo(0L);
					assertThat(Rel.list(client, RelJobs.STARTED)).containsExactly("inherited");
				});
		}
	}

	private static long redisMillis(StatefulRedisConnection<String, String> client) {
		List<String> time = client.sync().time();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

}
