package io.github.resquepool.scheduler;

import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;

/**
 * Boots the pool with its scheduler against the shared test Redis. The pool's only worker
 * listens on a queue nothing is sent to, so that moved jobs stay in their queues.
 */
final class SchedulerTestSupport {

	static final String LOCK = "resque:resque:resque_scheduler_master_lock";

	static final String SCHEDULE = "resque:delayed_queue_schedule";

	private SchedulerTestSupport() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class))
			.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s",
					"resque.pool.groups.idle.queues=nothing-is-sent-here", "resque.scheduler.poll-interval=200ms",
					"resque.scheduler.lock-timeout=2s");
	}

	/** Writes a delayed item as Ruby's {@code delayed_push} does. */
	static void rubyDelayedPush(StatefulRedisConnection<String, String> raw, long bucket, String item) {
		raw.sync().rpush("resque:delayed:" + bucket, item);
		raw.sync().sadd("resque:timestamps:" + item, "delayed:" + bucket);
		raw.sync().zadd(SCHEDULE, bucket, Long.toString(bucket));
	}

	static List<String> lrange(StatefulRedisConnection<String, String> raw, String key) {
		return raw.sync().lrange(key, 0, -1);
	}

	static long now(StatefulRedisConnection<String, String> raw) {
		return Long.parseLong(raw.sync().time().get(0));
	}

}
