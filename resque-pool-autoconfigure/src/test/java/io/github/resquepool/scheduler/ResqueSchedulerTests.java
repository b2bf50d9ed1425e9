package io.github.resquepool.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.scheduler.SchedulerTestSupport.LOCK;
import static io.github.resquepool.scheduler.SchedulerTestSupport.SCHEDULE;
import static io.github.resquepool.scheduler.SchedulerTestSupport.lrange;
import static io.github.resquepool.scheduler.SchedulerTestSupport.now;
import static io.github.resquepool.scheduler.SchedulerTestSupport.rubyDelayedPush;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's scheduler as a resque-scheduler peer: it moves Ruby's and Java's delayed
 * items as the gem does, holds the gem's master lock with the gem's key and semantics,
 * and hands over.
 */
@ExtendWith(RedisExtension.class)
class ResqueSchedulerTests {

	private final ApplicationContextRunner runner = SchedulerTestSupport.runner();

	@Test
	void movesADelayedItemRubyWroteToItsQueueAsRubyDoes(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				long bucket = now(raw) + 1;
				String item = "{\"class\":\"Interop::Sched\",\"args\":[\"due-1\",42,{\"k\":\"v\"}],\"queue\":\"sched\"}";
				rubyDelayedPush(raw, bucket, item);
				eventually(Duration.ofSeconds(10), () -> assertThat(lrange(raw, "resque:queue:sched"))
					.containsExactly("{\"class\":\"Interop::Sched\",\"args\":[\"due-1\",42,{\"k\":\"v\"}]}"));
				// the same keys as after the real gem's move
				// (captured/scheduler/run/MONITOR-scheduler-only.txt)
				assertThat(raw.sync().exists("resque:delayed:" + bucket, "resque:timestamps:" + item)).isEqualTo(0L);
				assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L);
				assertThat(raw.sync().smembers("resque:queues")).containsExactly("sched");
			}
		});
	}

	@Test
	void movesJavaDelayedItemsInBucketOrderAndFifoWithinABucket(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			Instant at = Instant.now().plusSeconds(2);
			client.enqueueAt("q", at.plusSeconds(1), "Later", 3);
			client.enqueueAt("q", at, "First", 1);
			client.enqueueAt("q", at, "First", 2);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				eventually(Duration.ofSeconds(10),
						() -> assertThat(lrange(raw, "resque:queue:q")).containsExactly(
								"{\"class\":\"First\",\"args\":[1]}", "{\"class\":\"First\",\"args\":[2]}",
								"{\"class\":\"Later\",\"args\":[3]}"));
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
			}
		});
	}

	@Test
	void holdsResqueSchedulersMasterLockWithHostAndPidAndTheLockTimeout(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueScheduler scheduler = context.getBean(ResqueScheduler.class);
			eventually(Duration.ofSeconds(5), () -> assertThat(scheduler.isMaster()).isTrue());
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().get(LOCK)).isEqualTo(scheduler.lockValue());
				assertThat(scheduler.lockValue()).matches("[^:]+:" + ProcessHandle.current().pid() + "(-\\d+)?");
				assertThat(raw.sync().ttl(LOCK)).isBetween(1L, 2L);
			}
		});
	}

	@Test
	void twoPoolsHaveOneMasterAndAGracefulStopHandsTheLockOver(TestRedis redis) {
		this.runner.run((first) -> {
			ResqueScheduler one = first.getBean(ResqueScheduler.class);
			eventually(Duration.ofSeconds(5), () -> assertThat(one.isMaster()).isTrue());
			this.runner.run((second) -> {
				ResqueScheduler two = second.getBean(ResqueScheduler.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					// more than a lock timeout later, the first still holds the lock and
					// the second waits
					Thread.sleep(2500);
					assertThat(one.isMaster()).isTrue();
					assertThat(two.isMaster()).isFalse();
					assertThat(raw.sync().get(LOCK)).isEqualTo(one.lockValue());
					first.stop();
					assertThat(raw.sync().get(LOCK)).isNotEqualTo(one.lockValue());
					eventually(Duration.ofSeconds(5), () -> assertThat(two.isMaster()).isTrue());
					assertThat(raw.sync().get(LOCK)).isEqualTo(two.lockValue());
				}
			});
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().exists(LOCK)).isEqualTo(0L);
			}
		});
	}

	@Test
	void staysPassiveWhileAForeignHolderRenewsAndTakesOverOnceItsLockExpires(TestRedis redis) {
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			raw.sync().set(LOCK, "rubyhost:4242", SetArgs.Builder.ex(2));
			this.runner.run((context) -> {
				ResqueScheduler scheduler = context.getBean(ResqueScheduler.class);
				long bucket = now(raw) + 1;
				rubyDelayedPush(raw, bucket, "{\"class\":\"A\",\"args\":[],\"queue\":\"q\"}");
				eventually(Duration.ofSeconds(10), () -> assertThat(scheduler.isMaster()).isTrue());
				assertThat(raw.sync().get(LOCK)).isEqualTo(scheduler.lockValue());
				eventually(Duration.ofSeconds(5), () -> assertThat(lrange(raw, "resque:queue:q"))
					.containsExactly("{\"class\":\"A\",\"args\":[]}"));
			});
		}
	}

	@Test
	void givesAForeignLockWithoutTtlATtlSoThatNoSchedulerIsBlockedForever(TestRedis redis) {
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			raw.sync().set(LOCK, "crashed:1");
			this.runner.run((context) -> {
				eventually(Duration.ofSeconds(5), () -> assertThat(raw.sync().ttl(LOCK)).isPositive());
				ResqueScheduler scheduler = context.getBean(ResqueScheduler.class);
				eventually(Duration.ofSeconds(10), () -> assertThat(scheduler.isMaster()).isTrue());
			});
		}
	}

	@Test
	void aDisabledSchedulerIsNotCreated() {
		this.runner.withPropertyValues("resque.scheduler.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResqueScheduler.class));
		this.runner.withPropertyValues("resque.pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResqueScheduler.class));
	}

}
