package io.github.resquepool.scheduler;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.scheduler.SchedulerTestSupport.now;
import static io.github.resquepool.scheduler.SchedulerTestSupport.rubyDelayedPush;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's meters count moves, bad items and firings, and tell whether this JVM
 * holds the lock.
 */
@ExtendWith(RedisExtension.class)
class SchedulerMetricsTests {

	@Test
	void metersCountMovesBadItemsAndFiringsAndShowTheLock(TestRedis redis) {
		SchedulerTestSupport.runner()
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("resque.scheduler.schedules.tick.every=1s", "resque.scheduler.schedules.tick.class=T",
					"resque.scheduler.schedules.tick.queue=t")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				eventually(Duration.ofSeconds(5),
						() -> assertThat(registry.get("resque.scheduler.lock.held").gauge().value()).isEqualTo(1.0));
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					rubyDelayedPush(raw, now(raw) - 1, "{\"class\":\"A\",\"args\":[],\"queue\":\"q\"}");
					rubyDelayedPush(raw, now(raw) - 1, "bad");
					eventually(Duration.ofSeconds(5), () -> {
						assertThat(registry.get("resque.scheduler.delayed.moved").counter().count()).isEqualTo(1.0);
						assertThat(registry.get("resque.scheduler.delayed.failed").counter().count()).isEqualTo(1.0);
						assertThat(registry.find("resque.scheduler.schedule.runs").tag("schedule", "tick").counter())
							.isNotNull()
							.satisfies((runs) -> assertThat(runs.count()).isPositive());
					});
					assertThat(registry.get("resque.scheduler.delayed.lag").gauge().value()).isZero();
				}
			});
	}

}
