package io.github.resquepool.scheduler;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.embedded.RespClient;
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
	static void rubyDelayedPush(RespClient raw, long bucket, String item) {
		raw.command("RPUSH", "resque:delayed:" + bucket, item);
		raw.command("SADD", "resque:timestamps:" + item, "delayed:" + bucket);
		raw.command("ZADD", SCHEDULE, Long.toString(bucket), Long.toString(bucket));
	}

	@SuppressWarnings("unchecked")
	static List<String> lrange(RespClient raw, String key) {
		return (List<String>) raw.command("LRANGE", key, "0", "-1");
	}

	static long now(RespClient raw) {
		@SuppressWarnings("unchecked")
		List<String> time = (List<String>) raw.command("TIME");
		return Long.parseLong(time.get(0));
	}

}
