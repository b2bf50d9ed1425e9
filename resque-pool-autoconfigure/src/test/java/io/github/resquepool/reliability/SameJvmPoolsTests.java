package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application contexts with a pool each, alive at the same time in one JVM (a parent
 * and a child context, or two cached contexts of a test suite): the pool that starts
 * second must not take the running one for a dead predecessor, requeue its in-flight job
 * and unregister its workers.
 */
@Timeout(30)
class SameJvmPoolsTests {

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

	private static List<String> workerIds(ResquePool pool) {
		return pool.status().workers().stream().map((worker) -> worker.id()).toList();
	}

	@Test
	void aSecondPoolInTheSameJvmLeavesTheRunningPoolsJobsAndWorkersAlone() {
		String[] settings = { "resque.pool.groups.g.count=1", "resque.pool.recovery-timeout=3s" };
		Rel.inProcessPool(this.redis.host(), this.redis.port(), settings).run((first) -> {
			ResquePool firstPool = first.getBean(ResquePool.class);
			try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
				Rel.push(client, List.of(RelJobs.payload("long", 2000)));
				Rel.await(Duration.ofSeconds(10), () -> Rel.inFlight(client).size() == 1,
						() -> "the job in flight: " + Rel.inFlight(client));
				Rel.inProcessPool(this.redis.host(), this.redis.port(), settings).run((second) -> {
					ResquePool secondPool = second.getBean(ResquePool.class);
					ChildPool.sleep(500);
					List<String> pools = client.sync().zrange(Rel.POOLS, 0, -1);
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).contains("long"),
							() -> "the job done: " + Rel.list(client, RelJobs.DONE));
					ChildPool.sleep(300);
					assertThat(Rel.list(client, RelJobs.STARTED))
						.as("runs of the job (%s)", Rel.list(client, RelJobs.RUNS))
						.containsExactly("long");
					assertThat(pools).as("live pools while both run")
						.contains(firstPool.status().poolId(), secondPool.status().poolId());
					assertThat(workerIds(firstPool)).as("worker ids of the first pool").hasSize(1);
					assertThat(workerIds(secondPool)).as("worker ids of the second pool")
						.hasSize(1)
						.doesNotContainAnyElementsOf(workerIds(firstPool));
				});
			}
		});
	}

}
