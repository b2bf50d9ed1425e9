package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Watchdog} on its own: the groups and the job store, no pool, no Spring
 * context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class WatchdogTests {

	@Test
	void interruptsAJobThatRanPastItsTimeout(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			Worker worker = group.workers().get(0);
			PoolTestSupport.push(client, "default", "Test::Slow", "20000");
			group.wakeOne();
			// Overdue and still running: nothing but the watchdog interrupts it.
			eventually(Duration.ofSeconds(10), () -> {
				RunningJob job = worker.currentJob();
				assertThat(job).isNotNull();
				assertThat(job.overdue(Instant.now())).isTrue();
			});
			assertThat(worker.state()).isEqualTo(WorkerState.WORKING);
			new Watchdog(() -> List.of(group), parts.redis.jobs(), 2).check();
			eventually(Duration.ofSeconds(10), () -> {
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1L);
				assertThat(worker.currentJob()).isNull();
			});
			assertThat(parts.jobs.runs).isEmpty();
			assertThat(String.valueOf(PoolTestSupport.list(client, "resque:failed"))).contains("Test::Slow");
		}
	}

	@Test
	void leavesAJobWithinItsTimeoutAlone(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			Worker worker = group.workers().get(0);
			parts.jobs.gate("k");
			PoolTestSupport.push(client, "default", "Test::Block", "\"k\"");
			group.wakeOne();
			eventually(Duration.ofSeconds(10), () -> assertThat(parts.jobs.started).containsExactly("k"));
			Watchdog watchdog = new Watchdog(() -> List.of(group), parts.redis.jobs(), 2);
			watchdog.check();
			parts.jobs.gate("k").countDown();
			eventually(Duration.ofSeconds(10), () -> assertThat(parts.jobs.runs).containsExactly("Block:k"));
			assertThat(parts.jobs.interrupted).isEmpty();
			assertThat(client.sync().llen("resque:failed")).isEqualTo(0L);
			assertThat(worker.state()).isNotEqualTo(WorkerState.STUCK);
		}
	}

}
