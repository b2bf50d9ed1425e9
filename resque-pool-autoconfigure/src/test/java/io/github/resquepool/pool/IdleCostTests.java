package io.github.resquepool.pool;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis command rate of an idle pool does not grow with its number of workers: idle
 * workers park without polling, and heartbeats are one script call per pool.
 */
@ExtendWith(RedisExtension.class)
class IdleCostTests {

	@Test
	void idleCommandRateOf200WorkersStaysWithinTwiceThatOfOne(TestRedis redis) {
		double one = idleCommandsPerSecond(redis, 1);
		double many = idleCommandsPerSecond(redis, 200);
		System.out.printf("idle Redis commands/s: 1 worker %.1f, 200 workers %.1f%n", one, many);
		assertThat(one).isPositive();
		assertThat(many).isLessThanOrEqualTo(2 * one);
	}

	private double idleCommandsPerSecond(TestRedis redis, int workers) {
		redis.flushAll();
		double[] rate = new double[1];
		PoolTestSupport.runner(redis)
			.withPropertyValues("resque.pool.groups.work.queues=a,b", "resque.pool.groups.work.count=" + workers,
					"resque.pool.poll-interval=200ms", "resque.pool.heartbeat-interval=500ms")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					eventually(Duration.ofSeconds(10),
							() -> assertThat(client.sync().smembers("resque:workers")).hasSize(workers));
					Thread.sleep(500);
					client.sync().configResetstat();
					long start = System.nanoTime();
					Thread.sleep(3000);
					long commands = totalCommands(client) - 2;
					rate[0] = commands / ((System.nanoTime() - start) / 1e9);
				}
			});
		return rate[0];
	}

	private static long totalCommands(StatefulRedisConnection<String, String> client) {
		String info = client.sync().info("stats");
		return info.lines()
			.filter((line) -> line.startsWith("total_commands_processed:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
			.findFirst()
			.orElseThrow();
	}

}
