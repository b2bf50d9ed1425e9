package io.github.resquepool.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.resque.Turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The group's fetcher with several lanes, against a real Redis: whichever lane runs a
 * worker's turn, every job is taken exactly once, each outcome is counted once, and a
 * closed fetcher fails the turns it can no longer send.
 */
@ExtendWith(RedisExtension.class)
class GroupFetcherTests {

	private static final String POOL_ID = "lanes-host:91:fetch01";

	private static final int WORKERS = 12;

	private static final int JOBS = 3_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void everyLaneHasItsOwnNamedThread(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (GroupFetcher fetcher = new GroupFetcher(resque.jobs(), POOL_ID, "mail", QueueSpec.parse("mail"),
					Clock.systemUTC(), 3)) {
				assertThat(fetcher.lanes()).isEqualTo(3);
				Set<String> names = new HashSet<>();
				Thread.getAllStackTraces().keySet().forEach((thread) -> names.add(thread.getName()));
				assertThat(names).contains("resque-pool-fetch-mail", "resque-pool-fetch-mail-2",
						"resque-pool-fetch-mail-3");
			}
			assertThat(
					new GroupFetcher(resque.jobs(), POOL_ID, "one", QueueSpec.parse("one"), Clock.systemUTC()).lanes())
				.as("the default")
				.isEqualTo(GroupFetcher.DEFAULT_LANES);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new GroupFetcher(resque.jobs(), POOL_ID, "none", QueueSpec.parse("none"),
						Clock.systemUTC(), 0))
				.withMessageContaining("at least one lane");
		});
	}

	@Test
	void workersSharingTwoLanesTakeEveryJobExactlyOnce(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			List<String> ids = IntStream.rangeClosed(1, WORKERS).mapToObj((i) -> "lanes-host:91-" + i + ":q").toList();
			resque.workers().register(POOL_ID, "2026-12-02 10:00:00 +0000", ids);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().sadd("resque:queues", "q");
				for (int i = 0; i < JOBS; i += 500) {
					List<String> push = new ArrayList<>();
					for (int j = i; j < i + 500; j++) {
						push.add("{\"class\":\"Noop\",\"args\":[" + j + "]}");
					}
					client.sync().rpush("resque:queue:q", push.toArray(String[]::new));
				}
				Set<String> seen = ConcurrentHashMap.newKeySet();
				AtomicInteger duplicates = new AtomicInteger();
				AtomicInteger errors = new AtomicInteger();
				CountDownLatch done = new CountDownLatch(WORKERS);
				try (GroupFetcher fetcher = new GroupFetcher(resque.jobs(), POOL_ID, "q", QueueSpec.parse("q"),
						Clock.systemUTC(), 2)) {
					for (String id : ids) {
						Thread.ofPlatform().start(() -> {
							try {
								Outcome last = null;
								while (true) {
									Fetch fetch = fetcher.turn(new Turn(id, last, true));
									if (!(fetch instanceof Fetch.Job job)) {
										break;
									}
									if (!seen.add(job.payloadText())) {
										duplicates.incrementAndGet();
									}
									last = Outcome.succeeded(job.statusSha());
								}
								if (last != null) {
									fetcher.turn(new Turn(id, last, false));
								}
							}
							catch (RuntimeException ex) {
								errors.incrementAndGet();
							}
							finally {
								done.countDown();
							}
						});
					}
					done.await();
				}
				assertThat(errors).hasValue(0);
				assertThat(duplicates).as("jobs taken twice").hasValue(0);
				assertThat(seen).as("jobs taken").hasSize(JOBS);
				assertThat(client.sync().llen("resque:queue:q")).isEqualTo(0L);
				assertThat(client.sync().get("resque:stat:processed")).as("each outcome counted once")
					.isEqualTo(String.valueOf(JOBS));
				for (String id : ids) {
					assertThat(client.sync().exists("resque:worker:" + id)).as("no job left at " + id).isEqualTo(0L);
				}
			}
		});
	}

	@Test
	void aClosedFetcherFailsTheTurnsItCanNoLongerSend(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			GroupFetcher fetcher = new GroupFetcher(resque.jobs(), POOL_ID, "c", QueueSpec.parse("c"),
					Clock.systemUTC(), 2);
			fetcher.close();
			assertThatExceptionOfType(ResqueRedisException.class)
				.isThrownBy(() -> fetcher.turn(new Turn("lanes-host:91-1:c", null, true)))
				.withMessageContaining("closed");
		});
	}

}
