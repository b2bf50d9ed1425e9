package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a live pool does with the in-flight jobs of a pool that went silent, per
 * {@code resque.pool.recovery-mode}. The dead pool's records are written as a pool of
 * another host leaves them when its JVM dies: a liveness score older than
 * {@code recovery-timeout}, its worker registered and holding a job.
 */
@Timeout(60)
class RecoveryModeTests {

	private static final String DEAD_POOL = "gone-host:4242:dead01";

	private static final String DEAD_WORKER = "gone-host:4242-7:" + Rel.QUEUE;

	private static final String PAYLOAD = RelJobs.payload("orphan", 10);

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopRedis() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void failModeRecordsADeadPoolsInFlightJobAsDirtyExitInsteadOfRequeueingIt() {
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			writeDeadPool(client);
			Rel.inProcessPool(this.redis.host(), this.redis.port(), "resque.pool.recovery-mode=fail",
					"resque.pool.recovery-timeout=3s", "resque.pool.groups.g.count=1")
				.run((context) -> {
					Rel.await(Duration.ofSeconds(20), () -> client.sync().zscore(Rel.POOLS, DEAD_POOL) == null,
							() -> "the dead pool recovered; pools " + client.sync().zrange(Rel.POOLS, 0, -1));
					List<String> failed = Rel.list(client, "resque:failed");
					assertThat(failed).as("failure entries")
						.singleElement()
						.satisfies((entry) -> assertThat(entry).contains("\"payload\":" + PAYLOAD)
							.contains("\"exception\":\"Resque::DirtyExit\"")
							.contains("\"error\":\"Worker " + DEAD_WORKER + " did not gracefully exit while processing "
									+ RelJobs.SLOW + "\"")
							.contains("\"worker\":\"" + DEAD_WORKER + "\"")
							.contains("\"queue\":\"" + Rel.QUEUE + "\""));
					assertDeadPoolGone(client);
					// a live pool with a free worker would have run it at once had it
					// been requeued
					ChildPool.sleep(500);
					assertThat(Rel.list(client, Rel.QUEUE_KEY)).as("queue").isEmpty();
					assertThat(Rel.list(client, RelJobs.STARTED)).as("runs").isEmpty();
				});
		}
	}

	@Test
	void requeueModeByDefaultPutsADeadPoolsInFlightJobBackAndItRunsAgain() {
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			writeDeadPool(client);
			Rel.inProcessPool(this.redis.host(), this.redis.port(), "resque.pool.recovery-timeout=3s",
					"resque.pool.groups.g.count=1")
				.run((context) -> {
					Rel.await(Duration.ofSeconds(20), () -> Rel.list(client, RelJobs.DONE).contains("orphan"),
							() -> "the dead pool's job ran again; failed " + Rel.list(client, "resque:failed"));
					assertThat(Rel.list(client, RelJobs.STARTED)).containsExactly("orphan");
					assertThat(Rel.list(client, "resque:failed")).as("failure entries").isEmpty();
					assertDeadPoolGone(client);
				});
		}
	}

	private static void writeDeadPool(StatefulRedisConnection<String, String> client) {
		long silentSince = redisMillis(client) - Duration.ofMinutes(1).toMillis();
		client.sync().zadd(Rel.POOLS, silentSince, DEAD_POOL);
		client.sync().hset("resque:resquepool:pool:" + DEAD_POOL, "beat", String.valueOf(silentSince));
		client.sync().sadd("resque:resquepool:pool:" + DEAD_POOL + ":workers", DEAD_WORKER);
		client.sync().sadd("resque:workers", DEAD_WORKER);
		client.sync()
			.set("resque:worker:" + DEAD_WORKER, "{\"queue\":\"" + Rel.QUEUE
					+ "\",\"run_at\":\"2026/12/01 10:00:00 UTC\",\"payload\":" + PAYLOAD + "}");
		client.sync().sadd("resque:queues", Rel.QUEUE);
	}

	private static void assertDeadPoolGone(StatefulRedisConnection<String, String> client) {
		assertThat(Rel.traces(client, "gone-host")).as("traces of the dead pool").isEmpty();
		// The job marks itself done before its worker records the outcome, which ends its
		// working status: wait for that, not for the mark.
		Rel.await(Duration.ofSeconds(10), () -> Rel.inFlight(client).isEmpty(),
				() -> "jobs recorded in flight: " + Rel.inFlight(client));
	}

	private static long redisMillis(StatefulRedisConnection<String, String> client) {
		List<String> time = client.sync().time();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

}
