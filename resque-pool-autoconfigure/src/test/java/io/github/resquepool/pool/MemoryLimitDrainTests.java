package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.github.resquepool.autoconfigure.MemoryLimitExit;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.health.ResquePoolHealthIndicator;
import io.github.resquepool.resque.ResqueRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool whose heap after a collection is above its memory limit (1 MB here, so always):
 * it takes no job, and once the grace is over its health is DOWN with the reason and the
 * {@link ResquePoolEvent.MemoryLimitExceeded} event reaches the exit, which is replaced
 * here so that the test's JVM lives on.
 */
@ExtendWith(RedisExtension.class)
class MemoryLimitDrainTests {

	@Test
	void aPoolAboveItsLimitForTheGraceIsDownWithTheReasonAndAsksToExit(TestRedis redis) {
		PoolTestSupport.runner(redis)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.memory-limit=1MB", "resque.pool.memory-limit-grace=0s")
			.withBean(MemoryLimitExit.class, RecordingExit::new)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				RecordingExit exit = (RecordingExit) context.getBean(MemoryLimitExit.class);
				ResquePoolHealthIndicator health = new ResquePoolHealthIndicator(pool,
						context.getBean(ResqueRedis.class).connectivity());
				eventually(Duration.ofSeconds(20), () -> assertThat(exit.events).hasSize(1));
				assertThat(exit.events.get(0).getLimitBytes()).isEqualTo(1024 * 1024);
				assertThat(exit.events.get(0).getUsedBytes()).isGreaterThan(1024 * 1024);
				assertThat(pool.drainReason()).contains("is above resque.pool.memory-limit");
				Health answer = health.health();
				assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
				assertThat(answer.getDetails().get("draining")).asString()
					.contains("past resque.pool.memory-limit-grace");
			});
	}

	/** Records the event instead of exiting. */
	static class RecordingExit extends MemoryLimitExit {

		final List<ResquePoolEvent.MemoryLimitExceeded> events = new CopyOnWriteArrayList<>();

		RecordingExit() {
			super(null, null);
		}

		@Override
		public void onApplicationEvent(ResquePoolEvent.MemoryLimitExceeded event) {
			this.events.add(event);
		}

	}

}
