package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long job that checkpoints after each item, through deploys (SIGTERMs of the only
 * pool) and a kill -9 of it: it resumes where it stopped every time, processes every
 * item, none twice across the SIGTERMs and at most the one in flight across the kill, and
 * is recorded once. Pools are child JVMs on a private Redis.
 */
@Timeout(150)
class CheckpointDeployTests {

	private static final Duration READY = Duration.ofSeconds(40);

	private static final int ITEMS = 300;

	private final List<ChildPool> children = new ArrayList<>();

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		this.children.forEach(ChildPool::close);
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aCheckpointingJobSurvivesThreeDeploysAndAKillAndFinishesOnce() {
		String payload = RelJobs.rowsPayload("r", ITEMS, 20);
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			client.sync().sadd("resque:queues", Rel.QUEUE);
			client.sync().rpush("resque:queue:" + Rel.QUEUE, payload);
			ChildPool pool = child("deploy-0").awaitReady(READY);
			for (int deploy = 1; deploy <= 3; deploy++) {
				long before = items(client);
				Rel.await(Duration.ofSeconds(20), () -> items(client) >= before + 20,
						() -> "the job went on after a restart: " + items(client) + " items");
				Duration exit = pool.terminate(Duration.ofSeconds(20));
				// It ended at its next checkpoint instead of holding the JVM for the 8 s
				// shutdown-timeout, and went back to the head of its queue as it was.
				assertThat(exit).as("exit after SIGTERM " + deploy).isLessThan(Duration.ofSeconds(3));
				assertThat(client.sync().lindex("resque:queue:" + Rel.QUEUE, 0)).isEqualTo(payload);
				pool = child("deploy-" + deploy).awaitReady(READY);
			}
			long beforeKill = items(client);
			Rel.await(Duration.ofSeconds(20), () -> items(client) >= beforeKill + 20,
					() -> "the job went on after the last deploy: " + items(client) + " items");
			pool.kill();
			child("after-kill").awaitReady(READY);
			Rel.await(Duration.ofSeconds(60), () -> client.sync().llen(RelJobs.DONE) > 0,
					() -> "the job finished: " + items(client) + " items");
			List<String> processed = client.sync().lrange(RelJobs.ITEMS, 0, -1);
			Set<String> distinct = new HashSet<>(processed);
			for (int i = 0; i < ITEMS; i++) {
				assertThat(distinct).contains("r:" + i);
			}
			assertThat(processed.size() - distinct.size()).as("items processed twice (the kill's one in flight)")
				.isLessThanOrEqualTo(1);
			List<String> resumed = client.sync().lrange(RelJobs.RESUMED, 0, -1);
			assertThat(resumed).hasSize(5).startsWith("r:0");
			assertThat(resumed.subList(1, resumed.size())).allSatisfy((start) -> assertThat(start).isNotEqualTo("r:0"));
			assertThat(client.sync().lrange(RelJobs.DONE, 0, -1)).containsExactly("r");
			Rel.await(Duration.ofSeconds(10), () -> "1".equals(client.sync().get("resque:stat:processed")),
					() -> "processed once: " + client.sync().get("resque:stat:processed"));
			assertThat(client.sync().llen("resque:failed")).isZero();
			assertThat(client.sync().keys("resque:resquepool:checkpoint:*")).isEmpty();
		}
	}

	@Test
	void aJobThatNeverCheckpointsHoldsTheJvmForTheWholeShutdownTimeout() {
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			ChildPool pool = child("slow").awaitReady(READY);
			Rel.push(client, List.of(RelJobs.payload("s", 30_000)));
			Rel.await(Duration.ofSeconds(20), () -> client.sync().llen(RelJobs.STARTED) > 0, () -> "the job started");
			Duration exit = pool.terminate(Duration.ofSeconds(30));
			assertThat(exit).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
			assertThat(client.sync().lindex("resque:queue:" + Rel.QUEUE, 0)).isEqualTo(RelJobs.payload("s", 30_000));
		}
	}

	private static long items(StatefulRedisConnection<String, String> client) {
		return client.sync().llen(RelJobs.ITEMS);
	}

	private ChildPool child(String name) {
		ChildPool child = ChildPool.start(name, this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=1", "resque.pool.poll-interval=100ms", "resque.pool.recovery-timeout=3s",
				"resque.pool.shutdown-timeout=8s");
		this.children.add(child);
		return child;
	}

}
