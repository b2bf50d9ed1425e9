package io.github.resquepool.resque;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data anyone can write, in amounts that make a script long: a queue name of 100,000
 * characters against a glob group, 50,000 queues behind a {@code *} group, 200,000
 * delayed buckets. No call of the fetch or of the delayed count may hold Redis for long,
 * which {@code SLOWLOG} shows (every command slower than 50 ms is logged; a whole
 * expansion or count took 150 ms to 1.3 s).
 */
@ExtendWith(RedisExtension.class)
class LargeKeyspaceScriptTests {

	private static final String POOL_ID = "keyspace-host:7:keys01";

	private static final String WORKER = "keyspace-host:7-1:*";

	private static final String SLOW_MICROS = "50000";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@AfterEach
	void stopALongScript() {
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			client.sync().scriptKill();
		}
		catch (RuntimeException ex) {
			// no script running: the usual case
		}
	}

	@Test
	void aLongQueueNameNeverStallsTheFetchOfAGlobGroup(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().sadd("resque:queues", "a".repeat(100_000), "aaab", "ab" + "a".repeat(50_000));
				client.sync().rpush("resque:queue:aaab", "{\"class\":\"Glob\",\"args\":[]}");
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));
				watchSlowCommands(client.sync());

				Fetch found = CompletableFuture.supplyAsync(() -> turn(resque, "a*a*a*b")).get(10, TimeUnit.SECONDS);

				assertThat(found).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.queue()).isEqualTo("aaab"));
				assertThat(slowScripts(client.sync())).isEmpty();
			}
		});
	}

	@Test
	void idleFetchesOfAStarGroupOverFiftyThousandQueuesNeverRunLong(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				for (int from = 1; from <= 50_000; from += 10_000) {
					client.sync()
						.eval("for i = tonumber(ARGV[1]), tonumber(ARGV[1]) + 9999 do "
								+ "redis.call('SADD', 'resque:queues', string.format('q%05d', i)) end",
								ScriptOutputType.STATUS, new String[0], String.valueOf(from));
				}
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));
				watchSlowCommands(client.sync());

				for (int i = 0; i < 3; i++) {
					assertThat(turn(resque, "*")).isInstanceOf(Fetch.Idle.class);
				}
				client.sync().rpush("resque:queue:q49999", "{\"class\":\"Late\",\"args\":[]}");
				client.sync().rpush("resque:queue:q50000", "{\"class\":\"Last\",\"args\":[]}");
				assertThat(turn(resque, "*")).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.queue()).isEqualTo("q49999"));
				assertThat(slowScripts(client.sync())).isEmpty();
			}
		});
	}

	@Test
	void theQueueNamesOfFiftyThousandQueuesAreReadInShortSteps(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				for (int from = 1; from <= 50_000; from += 10_000) {
					client.sync()
						.eval("for i = tonumber(ARGV[1]), tonumber(ARGV[1]) + 9999 do "
								+ "redis.call('SADD', 'resque:queues', string.format('q%05d', i)) end",
								ScriptOutputType.STATUS, new String[0], String.valueOf(from));
				}
				client.sync().configResetstat();

				assertThat(resque.queues().names()).hasSize(50_000).startsWith("q00001", "q00002");

				String stats = client.sync().info("commandstats");
				assertThat(stats).doesNotContain("cmdstat_smembers").contains("cmdstat_sscan");
			}
		});
	}

	@Test
	void aQueueAddedBehindThePoolsBackIsFoundByTheNextFetch(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().sadd("resque:queues", "mail");
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));
				assertThat(turn(resque, "*,!low")).isInstanceOf(Fetch.Idle.class);
				client.sync().sadd("resque:queues", "billing", "low");
				client.sync().rpush("resque:queue:low", "{\"class\":\"Low\",\"args\":[]}");
				client.sync().rpush("resque:queue:billing", "{\"class\":\"Bill\",\"args\":[]}");

				// The set's new size is seen by the next fetch, and read again as soon as
				// the last read is a few times as old as it took.
				Fetch billing = await().atMost(Duration.ofSeconds(5))
					.until(() -> turn(resque, "*,!low"), (fetch) -> !(fetch instanceof Fetch.Idle));
				assertThat(billing).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.queue()).isEqualTo("billing"));
				assertThat(resque.jobs()
					.cycles(POOL_ID, QueueSpec.parse("*,!low"), "2026-12-01 10:00:00 +0000",
							List.of(new Turn(WORKER, Outcome.succeeded(((Fetch.Job) billing).statusSha()), true)))
					.get(0)).isInstanceOf(Fetch.Idle.class);
				client.sync().del("resque:queues");
				client.sync().set("resque:queues", "not a set");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(turn(resque, "*,!low")).isInstanceOfSatisfying(Fetch.Idle.class,
							(idle) -> assertThat(idle.unreadableQueues()).contains("<queues>")));
			}
		});
	}

	@Test
	void countingTwoHundredThousandDelayedBucketsNeverRunsLong(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				for (int from = 1; from <= 200_000; from += 20_000) {
					client.sync()
						.eval("for i = tonumber(ARGV[1]), tonumber(ARGV[1]) + 19999 do "
								+ "local t = tostring(1900000000 + i) "
								+ "redis.call('ZADD', 'resque:delayed_queue_schedule', t, t) "
								+ "redis.call('RPUSH', 'resque:delayed:' .. t, '{\"class\":\"D\",\"args\":[],\"queue\":\"q\"}') "
								+ "if i % 4 == 0 then redis.call('RPUSH', 'resque:delayed:' .. t, 'x') end end",
								ScriptOutputType.STATUS, new String[0], String.valueOf(from));
				}
				watchSlowCommands(client.sync());

				assertThat(resque.delayed().items()).isEqualTo(250_000L);
				assertThat(resque.delayed().items()).isEqualTo(250_000L);
				assertThat(slowScripts(client.sync())).isEmpty();
			}
		});
	}

	private static void watchSlowCommands(RedisCommands<String, String> client) {
		client.configSet("slowlog-log-slower-than", SLOW_MICROS);
		client.slowlogReset();
	}

	/**
	 * The slow-log entries of scripts, each as its duration and command name.
	 */
	private static List<String> slowScripts(RedisCommands<String, String> client) {
		List<String> slow = new ArrayList<>();
		try {
			for (Object entry : client.slowlogGet(128)) {
				List<?> fields = (List<?>) entry;
				List<?> command = (List<?>) fields.get(3);
				String name = String.valueOf(command.get(0)).toUpperCase();
				if (name.startsWith("EVAL") || name.startsWith("FCALL")) {
					slow.add(fields.get(2) + "us " + name + " " + command.size() + " arguments, "
							+ command.subList(1, Math.min(command.size(), 9)));
				}
			}
		}
		finally {
			client.configSet("slowlog-log-slower-than", "10000");
		}
		return slow;
	}

	private static Fetch turn(ResqueRedis resque, String queues) {
		return resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse(queues), "2026-12-01 10:00:00 +0000",
					List.of(new Turn(WORKER, null, true)))
			.get(0);
	}

}
