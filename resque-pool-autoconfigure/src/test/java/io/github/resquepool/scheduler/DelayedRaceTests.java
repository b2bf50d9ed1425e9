package io.github.resquepool.scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedis;

import static io.github.resquepool.scheduler.SchedulerTestSupport.SCHEDULE;
import static io.github.resquepool.scheduler.SchedulerTestSupport.lrange;
import static io.github.resquepool.scheduler.SchedulerTestSupport.now;
import static io.github.resquepool.scheduler.SchedulerTestSupport.rubyDelayedPush;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Movers racing on the same due buckets (as when a Ruby scheduler and a pool both believe
 * they are master for a moment) deliver each item exactly once.
 */
@ExtendWith(RedisExtension.class)
class DelayedRaceTests {

	@Test
	void racingMoversDeliverEveryItemExactlyOnce(TestRedis redis) {
		SchedulerTestSupport.runner().withPropertyValues("resque.scheduler.enabled=false").run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			int buckets = 20;
			int perBucket = 150;
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				long base = now(raw) - buckets - 1;
				for (int b = 0; b < buckets; b++) {
					for (int i = 0; i < perBucket; i++) {
						rubyDelayedPush(raw, base + b,
								"{\"class\":\"R\",\"args\":[" + b + "," + i + "],\"queue\":\"race\"}");
					}
				}
				long nowSecond = now(raw);
				List<CompletableFuture<Void>> movers = new ArrayList<>();
				for (int m = 0; m < 4; m++) {
					DelayedMover mover = new DelayedMover(resque.delayed(), 7 + m * 13, "test:" + m,
							new SchedulerListener() {
							});
					movers.add(CompletableFuture.runAsync(() -> mover.moveDue(nowSecond, () -> true)));
				}
				movers.forEach(CompletableFuture::join);
				List<String> moved = lrange(raw, "resque:queue:race");
				Set<String> unique = new HashSet<>(moved);
				assertThat(moved).hasSize(buckets * perBucket);
				assertThat(unique).hasSize(buckets * perBucket);
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
				assertThat(raw.sync().keys("resque:delayed:*")).isEqualTo(List.of());
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
			}
		});
	}

}
