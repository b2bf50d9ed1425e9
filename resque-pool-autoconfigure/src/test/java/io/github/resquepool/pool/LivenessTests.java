package io.github.resquepool.pool;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.thread.ResqueThreads;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Liveness} on its own: the groups and the stores, no pool, no Spring
 * context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class LivenessTests {

	@Test
	void theFirstBeatWritesThePoolsRecordAndCallsBackOnce(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis); StatefulRedisConnection<String, String> client = redis.connect()) {
			AtomicInteger registered = new AtomicInteger();
			AtomicInteger described = new AtomicInteger();
			Liveness liveness = new Liveness(parts.redis, parts.identity, parts.settings, new GroupMap(),
					(started, workers) -> {
						described.incrementAndGet();
						return "{\"host\":\"here\",\"workers\":" + workers + "}";
					}, registered::incrementAndGet, ResqueThreads.standard());
			String poolId = parts.identity.poolId();
			try {
				liveness.start();
				eventually(Duration.ofSeconds(10), () -> {
					assertThat(registered).hasValue(1);
					assertThat(client.sync().zscore("resque:resquepool:pools", poolId)).isNotNull();
					assertThat(client.sync().hget("resque:resquepool:pool:" + poolId, "info"))
						.isEqualTo("{\"host\":\"here\",\"workers\":0}");
				});
				assertThat(liveness.isRegistered()).isTrue();
				int before = described.get();
				liveness.beatSoon();
				eventually(Duration.ofSeconds(10), () -> assertThat(described.get()).isGreaterThan(before));
				assertThat(registered).hasValue(1);
			}
			finally {
				liveness.stop();
			}
		}
	}

	@Test
	void registersAgainTheWorkersThatRedisLost(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running();
				StatefulRedisConnection<String, String> client = redis.connect()) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			GroupMap groups = new GroupMap();
			groups.reset(java.util.List.of(group));
			group.converge();
			PoolParts.awaitIdle(group, 1);
			String workerId = group.workers().get(0).id();
			Liveness liveness = new Liveness(parts.redis, parts.identity, parts.settings, groups,
					(started, workers) -> "{}", () -> {
					}, ResqueThreads.standard());
			try {
				liveness.start();
				eventually(Duration.ofSeconds(10), () -> assertThat(liveness.isRegistered()).isTrue());
				client.sync().srem("resque:workers", workerId);
				assertThat(client.sync().sismember("resque:workers", workerId)).isFalse();
				liveness.redisRecovered();
				eventually(Duration.ofSeconds(10),
						() -> assertThat(client.sync().sismember("resque:workers", workerId)).isTrue());
			}
			finally {
				liveness.stop();
			}
		}
	}

}
