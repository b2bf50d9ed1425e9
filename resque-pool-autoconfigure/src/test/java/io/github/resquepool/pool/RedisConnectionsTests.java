package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's connections as Redis sees them ({@code CLIENT LIST}), on a Redis of this
 * class's own so that no other test's connections count: the same few
 * ({@link #CONNECTIONS}) however many workers run, and new ones after the context's
 * lifecycle was stopped and started again.
 */
class RedisConnectionsTests {

	/**
	 * The pool's connections with the poll as its only wake-up for foreign pushes: one
	 * for commands, one for the wake-up and fleet channels. Blocking waiters (the default
	 * for static queue lists) add one per queue of a group, never one per worker.
	 */
	private static final int CONNECTIONS = 2;

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Pattern CLIENT_ID = Pattern.compile("(?:^|\\s)id=(\\d+)\\s");

	private static TestRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.startNew();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	@ParameterizedTest(name = "{0} workers")
	@ValueSource(ints = { 1, 50 })
	void thePoolHoldsTwoConnectionsHoweverManyWorkersItRuns(int workers) {
		PoolTestSupport.runner(redis)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=" + workers,
					"resque.pool.wake-up=poll")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					eventually(WAIT, () -> assertThat(members(client, "resque:workers")).hasSize(workers));
					// every worker busy at once, so that each does its own Redis I/O
					for (int i = 0; i < workers; i++) {
						push(client, "q", "Test::Block", "\"b" + i + "\"");
					}
					eventually(WAIT, () -> assertThat(jobs.started).hasSize(workers));
					assertThat(poolConnections(client)).as("connections while %s jobs run", workers)
						.hasSize(CONNECTIONS);
					for (int i = 0; i < workers; i++) {
						jobs.open("b" + i);
					}
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed"))
						.isEqualTo(String.valueOf(workers)));
					assertThat(poolConnections(client)).as("connections after %s jobs", workers).hasSize(CONNECTIONS);
				}
			});
	}

	@Test
	void theContextCanBeStoppedAndStartedAgainAndThePoolTakesJobsOnFreshConnections() {
		PoolTestSupport.runner(redis)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2",
					"resque.pool.wake-up=poll")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Record", "\"before\"");
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Record:before"));
					eventually(WAIT, () -> assertThat(poolConnections(client)).hasSize(CONNECTIONS));
					Set<String> before = poolConnections(client);

					context.stop();
					assertThat(pool.isRunning()).isFalse();
					assertThat(members(client, "resque:workers")).as("workers after the stop").isEmpty();
					eventually(WAIT,
							() -> assertThat(poolConnections(client)).as("connections after the stop").isEmpty());
					push(client, "q", "Test::Record", "\"while-stopped\"");

					context.start();
					assertThat(pool.isRunning()).isTrue();
					eventually(WAIT,
							() -> assertThat(jobs.runs).containsExactly("Record:before", "Record:while-stopped"));
					eventually(WAIT, () -> assertThat(members(client, "resque:workers")).hasSize(2));
					push(client, "q", "Test::Record", "\"after\"");
					eventually(WAIT, () -> assertThat(jobs.runs).endsWith("Record:after"));
					eventually(WAIT, () -> assertThat(poolConnections(client)).hasSize(CONNECTIONS));
					assertThat(poolConnections(client)).as("connections after the restart")
						.doesNotContainAnyElementsOf(before);
				}
			});
	}

	@SuppressWarnings("unchecked")
	private static List<String> members(StatefulRedisConnection<String, String> client, String key) {
		return List.copyOf(client.sync().smembers(key));
	}

	/**
	 * @return the ids of every connection to the Redis but the test's own
	 */
	private static Set<String> poolConnections(StatefulRedisConnection<String, String> client) {
		String own = String.valueOf(client.sync().clientId());
		Set<String> ids = new TreeSet<>();
		for (String line : client.sync().clientList().lines().toList()) {
			Matcher matcher = CLIENT_ID.matcher(line);
			if (matcher.find() && !matcher.group(1).equals(own)) {
				ids.add(matcher.group(1));
			}
		}
		return ids;
	}

}
