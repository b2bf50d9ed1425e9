package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.autoconfigure.MemoryLimitExit;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool whose jobs leak memory: under {@code -Xmx256m} with a memory limit of 70% and a
 * grace of 5 s, it stops taking jobs, drains, exits with status 75 before an
 * {@link OutOfMemoryError}, and the pools started after it finish the queue, every job
 * recorded once. Pools are child JVMs on a private Redis.
 */
@Timeout(240)
class MemoryLimitTests {

	private static final Duration READY = Duration.ofSeconds(40);

	private static final int JOBS = 16;

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
	void aPoolAboveItsMemoryLimitDrainsAndExitsAndFreshPoolsFinishTheQueue() {
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			payloads.add("{\"class\":\"" + RelJobs.HOG + "\",\"args\":[\"h" + i + "\",20,2000]}");
		}
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			Rel.push(client, payloads);
			int exits = 0;
			while (client.sync().llen(RelJobs.DONE) < JOBS) {
				assertThat(exits).as("pools that exited for memory").isLessThan(JOBS);
				ChildPool pool = child("hog-" + exits).awaitReady(READY);
				Rel.await(Duration.ofSeconds(90), () -> !pool.isAlive() || client.sync().llen(RelJobs.DONE) == JOBS,
						() -> "the pool exited or the queue was done: " + client.sync().llen(RelJobs.DONE));
				if (!pool.isAlive()) {
					assertThat(pool.exitValue()).as("exit status").isEqualTo(MemoryLimitExit.EXIT_STATUS);
					assertThat(pool.output()).contains("is above resque.pool.memory-limit")
						.contains("draining as on SIGTERM")
						.doesNotContain("OutOfMemoryError");
					exits++;
				}
			}
			assertThat(exits).as("pools that exited for memory").isPositive();
			List<String> done = client.sync().lrange(RelJobs.DONE, 0, -1);
			assertThat(done).hasSize(JOBS);
			assertThat(new HashSet<>(done)).hasSize(JOBS);
			// Nothing was cut off: every job that started finished, once.
			assertThat(client.sync().lrange(RelJobs.STARTED, 0, -1)).hasSize(JOBS);
			Rel.await(Duration.ofSeconds(10),
					() -> String.valueOf(JOBS).equals(client.sync().get("resque:stat:processed")),
					() -> "processed " + client.sync().get("resque:stat:processed"));
			assertThat(client.sync().llen("resque:failed")).isZero();
		}
	}

	private ChildPool child(String name) {
		ChildPool child = ChildPool.start(name, this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=1", "resque.pool.poll-interval=100ms", "resque.pool.recovery-timeout=3s",
				"resque.pool.shutdown-timeout=8s", "resque.pool.memory-limit=70%", "resque.pool.memory-limit-grace=5s");
		this.children.add(child);
		return child;
	}

}
