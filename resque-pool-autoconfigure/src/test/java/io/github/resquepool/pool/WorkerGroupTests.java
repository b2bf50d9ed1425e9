package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.worker.Worker;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerGroup} on its own: built from its collaborators, no pool, no
 * Spring context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class WorkerGroupTests {

	@Test
	void convergeRegistersWorkersAndAWakeUpLetsOneRunAJob(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 2));
			group.converge();
			PoolParts.awaitIdle(group, 2);
			assertThat(members(client, "resque:workers"))
				.containsExactlyInAnyOrderElementsOf(group.workers().stream().map(Worker::id).toList());
			assertThat(parts.events.seen).containsExactly("started main", "started main");
			PoolTestSupport.push(client, "default", "Test::Record", "\"a\"");
			group.wakeOne();
			eventually(Duration.ofSeconds(10), () -> assertThat(parts.jobs.runs).containsExactly("Record:a"));
			eventually(Duration.ofSeconds(5),
					() -> assertThat(parts.events.seen).contains("finished Test::Record PERFORMED"));
			assertThat(parts.state.processed()).isEqualTo(1);
		}
	}

	@Test
	void startsNoWorkerBeforeThePoolMayStartThem(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis); StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			parts.awaitSupervisor();
			assertThat(group.workers()).isEmpty();
			assertThat(members(client, "resque:workers")).isEmpty();
			parts.running();
			group.converge();
			PoolParts.awaitIdle(group, 1);
			assertThat(members(client, "resque:workers")).hasSize(1);
		}
	}

	@Test
	void aLowerCountRetiresWorkersAndUnregistersThem(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 3));
			group.converge();
			PoolParts.awaitIdle(group, 3);
			group.setDesired(1);
			eventually(Duration.ofSeconds(10), () -> {
				assertThat(group.workers()).hasSize(1);
				assertThat(members(client, "resque:workers")).hasSize(1);
			});
			assertThat(group.live()).isEqualTo(1);
			assertThat(parts.events.seen).filteredOn((e) -> e.startsWith("exited")).hasSize(2);
		}
	}

	@Test
	void aCrashedWorkerIsReplacedAfterItsBackoff(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			String first = group.workers().get(0).id();
			PoolTestSupport.push(client, "default", "Test::Crash", "\"x\"");
			group.wakeOne();
			eventually(Duration.ofSeconds(10), () -> {
				assertThat(parts.events.seen).contains("crashed main");
				assertThat(group.workers()).hasSize(1).noneMatch((w) -> w.id().equals(first));
				assertThat(members(client, "resque:workers")).hasSize(1).doesNotContain(first);
			});
			assertThat(group.crashes()).isEqualTo(1);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> members(StatefulRedisConnection<String, String> client, String key) {
		return List.copyOf(client.sync().smembers(key));
	}

}
