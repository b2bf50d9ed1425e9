package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Drain} on its own: retired groups and the stores, no pool, no Spring
 * context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class DrainTests {

	@Test
	void cutsOffAJobStillRunningAtTheTimeoutAndPutsItBackAtTheHeadOfItsQueue(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			PoolTestSupport.push(client, "default", "Test::Block", "\"k\"");
			group.wakeOne();
			eventually(Duration.ofSeconds(10), () -> assertThat(parts.jobs.started).containsExactly("k"));
			PoolTestSupport.push(client, "default", "Test::Record", "\"after\"");
			group.retireAll();
			AtomicInteger stopped = new AtomicInteger();
			new Drain(parts.redis, parts.identity, List.of(group), true, stopped::incrementAndGet)
				.run(Duration.ofMillis(300));
			List<String> queue = PoolTestSupport.list(client, "resque:queue:default");
			assertThat(queue).hasSize(2);
			assertThat(queue.get(0)).contains("Test::Block");
			assertThat(queue.get(1)).contains("Test::Record");
			assertThat(parts.jobs.interrupted).containsExactly("k");
			assertThat(stopped).hasValue(1);
			assertThat(client.sync().scard("resque:workers")).isEqualTo(0L);
		}
	}

	@Test
	void waitsForAJobThatFinishesWithinTheTimeout(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			PoolTestSupport.push(client, "default", "Test::Block", "\"k\"");
			group.wakeOne();
			eventually(Duration.ofSeconds(10), () -> assertThat(parts.jobs.started).containsExactly("k"));
			group.retireAll();
			parts.jobs.gate("k").countDown();
			new Drain(parts.redis, parts.identity, List.of(group), true, () -> {
			}).run(Duration.ofSeconds(20));
			assertThat(parts.jobs.runs).containsExactly("Block:k");
			assertThat(parts.jobs.interrupted).isEmpty();
			assertThat(PoolTestSupport.list(client, "resque:queue:default")).isEmpty();
			assertThat(client.sync().scard("resque:workers")).isEqualTo(0L);
		}
	}

}
