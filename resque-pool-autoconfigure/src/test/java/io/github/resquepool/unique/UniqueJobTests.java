package io.github.resquepool.unique;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.resque.UniqueLock;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unique jobs against a real Redis: what {@link ResqueClient} refuses while an identical
 * job is enqueued, delayed or running, and what a worker does with a copy it takes.
 */
@ExtendWith(RedisExtension.class)
class UniqueJobTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String FINISHED = "Unique::Finished";

	private final ApplicationContextRunner clientOnly;

	private final ApplicationContextRunner pool;

	UniqueJobTests(TestRedis redis) {
		ApplicationContextRunner base = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResquePoolMetricsAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s")
			.withBean(SimpleMeterRegistry.class)
			.withBean(UniqueTestJobs.class);
		this.clientOnly = base.withPropertyValues("resque.pool.enabled=false");
		this.pool = base.withPropertyValues("resque.pool.groups.work.queues=u", "resque.pool.groups.work.count=2");
	}

	@Test
	void enqueuesWhileTheFirstCopyRunsAreDuplicatesCountedHereAndOnceItFinishedACopyRunsAgain(TestRedis redis) {
		this.pool.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			assertThat(client.enqueue("u", FINISHED, "a")).isPositive();
			eventually(WAIT, () -> assertThat(jobs.started).containsExactly("finished a"));
			List<Long> results = concurrently(1000, () -> client.enqueue("u", FINISHED, "a"));
			assertThat(results).hasSize(1000).containsOnly(ResqueClient.DUPLICATE);
			assertThat(duplicates(context.getBean(MeterRegistry.class))).isEqualTo(1000);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().llen("resque:queue:u")).isZero();
				jobs.open();
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("1"));
			}
			assertThat(client.enqueue("u", FINISHED, "a")).isPositive();
			eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("finished a", "finished a"));
		});
	}

	@Test
	void aThousandConcurrentEnqueuesOfAFreshKeyEnqueueExactlyOne(TestRedis redis) {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			List<Long> results = concurrently(1000, () -> client.enqueue("u", FINISHED, "fresh"));
			assertThat(results.stream().filter((result) -> result != ResqueClient.DUPLICATE)).containsExactly(1L);
			assertThat(duplicates(context.getBean(MeterRegistry.class))).isEqualTo(999);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().lrange("resque:queue:u", 0, -1))
					.containsExactly("{\"class\":\"Unique::Finished\",\"args\":[\"fresh\"]}");
				String lock = "resque:" + lock(FINISHED, "[\"fresh\"]").name();
				assertThat(raw.sync().get(lock)).isEqualTo("queued:u");
				assertThat(raw.sync().pttl(lock)).isBetween(1L, Duration.ofHours(1).toMillis());
			}
		});
	}

	@Test
	void underStartedTheLockIsReleasedWhenAWorkerStartsTheJob() {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.enqueue("u", "Unique::Started", "s")).isPositive();
			assertThat(client.enqueue("u", "Unique::Started", "s")).isEqualTo(ResqueClient.DUPLICATE);
		});
		this.pool.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			eventually(WAIT, () -> assertThat(jobs.started).containsExactly("started s"));
			assertThat(client.enqueue("u", "Unique::Started", "s")).isPositive();
			assertThat(jobs.finished).isEmpty();
			jobs.open();
			eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("started s", "started s"));
		});
	}

	@Test
	void aLostLockExpiresAtItsTtl(TestRedis redis) {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.enqueue("u", "Unique::Short", "lost")).isPositive();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				raw.sync().del("resque:queue:u");
			}
			assertThat(client.enqueue("u", "Unique::Short", "lost")).isEqualTo(ResqueClient.DUPLICATE);
			eventually(Duration.ofSeconds(5),
					() -> assertThat(client.enqueue("u", "Unique::Short", "lost")).isPositive());
		});
	}

	@Test
	void aRubyCopyTakenWhileTheFirstRunsIsSkippedAsADuplicateAndIsNoFailure(TestRedis redis) {
		this.pool.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			client.enqueue("u", FINISHED, "a");
			eventually(WAIT, () -> assertThat(jobs.started).containsExactly("finished a"));
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				raw.sync().rpush("resque:queue:u", "{\"class\":\"Unique::Finished\",\"args\":[\"a\"]}");
				eventually(WAIT, () -> assertThat(duplicates(meters)).isEqualTo(1));
				assertThat(raw.sync().llen("resque:queue:u")).isZero();
				assertThat(jobs.started).containsExactly("finished a");
				assertThat(raw.sync().get("resque:stat:failed")).isNull();
				assertThat(raw.sync().llen("resque:failed")).isZero();
				jobs.open();
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("2"));
				// With no copy running, the same Ruby payload runs.
				raw.sync().rpush("resque:queue:u", "{\"class\":\"Unique::Finished\",\"args\":[\"a\"]}");
				eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("finished a", "finished a"));
				assertThat(raw.sync().get("resque:stat:failed")).isNull();
			}
		});
	}

	@Test
	void aCopyRequeuedFromADeadWorkerTakesOverItsLock(TestRedis redis) {
		this.pool.run((context) -> {
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			jobs.open();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				String lock = "resque:" + lock(FINISHED, "[\"r\"]").name();
				raw.sync().set(lock, "running:gone:1-0:u");
				raw.sync().sadd("resque:queues", "u");
				raw.sync().rpush("resque:queue:u", "{\"class\":\"Unique::Finished\",\"args\":[\"r\"]}");
				eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("finished r"));
				eventually(WAIT, () -> assertThat(raw.sync().exists(lock)).isZero());
			}
		});
	}

	@Test
	void enqueueAtAndEnqueueInOfADuplicateDoNotDelayIt(TestRedis redis) {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			client.enqueueIn("u", Duration.ofHours(1), FINISHED, "d");
			assertThat(client.enqueue("u", FINISHED, "d")).isEqualTo(ResqueClient.DUPLICATE);
			client.enqueueAt("u", Instant.now().plus(Duration.ofHours(2)), FINISHED, "d");
			client.enqueueIn("u", Duration.ofMinutes(5), FINISHED, "d");
			client.enqueueIn("u", Duration.ofMinutes(5), FINISHED, "other");
			assertThat(duplicates(context.getBean(MeterRegistry.class))).isEqualTo(3);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().zcard("resque:delayed_queue_schedule")).isEqualTo(2);
				assertThat(raw.sync().llen("resque:queue:u")).isZero();
				assertThat(raw.sync().get("resque:" + lock(FINISHED, "[\"d\"]").name())).startsWith("delayed:");
			}
			assertThat(client.enqueue("u", FINISHED, "e")).isPositive();
			client.enqueueIn("u", Duration.ofHours(1), FINISHED, "e");
			assertThat(duplicates(context.getBean(MeterRegistry.class))).isEqualTo(4);
		});
	}

	@Test
	void aKeyExpressionMakesJobsWithTheSameKeyDuplicates() {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.enqueue("u", "Unique::Keyed", "acct", 1)).isPositive();
			assertThat(client.enqueue("u", "Unique::Keyed", "acct", 2)).isEqualTo(ResqueClient.DUPLICATE);
			assertThat(client.enqueue("u", "Unique::Keyed", "other", 1)).isPositive();
			assertThat(client.enqueue("u", "Unique::Named", "acct", "x", 1)).isPositive();
			assertThat(client.enqueue("u", "Unique::Named", "acct", "x", 2)).isEqualTo(ResqueClient.DUPLICATE);
			assertThat(client.enqueue("u", "Unique::Named", "acct", "y", 1)).isPositive();
		});
	}

	@Test
	void aFailedRunReleasesItsLock(TestRedis redis) {
		this.pool.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			assertThat(client.enqueue("u", "Unique::Failing", "f")).isPositive();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:failed")).isEqualTo("1"));
			}
			assertThat(client.enqueue("u", "Unique::Failing", "f")).isPositive();
			eventually(WAIT, () -> assertThat(jobs.started).containsExactly("failing f", "failing f"));
		});
	}

	@Test
	void aJobThatAnotherBeforeHookSkipsReleasesItsLock(TestRedis redis) {
		this.pool.withBean(SkipHook.class).run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			context.getBean(UniqueTestJobs.class).open();
			assertThat(client.enqueue("u", FINISHED, "skip")).isPositive();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("1"));
				assertThat(raw.sync().exists("resque:" + lock(FINISHED, "[\"skip\"]").name())).isZero();
			}
			assertThat(context.getBean(SkipHook.class).skipped).hasValue(1);
			assertThat(client.enqueue("u", FINISHED, "skip")).isPositive();
		});
	}

	@Test
	void insideATransactionTheLockIsTakenWhenThePushHappensAfterTheCommit(TestRedis redis) {
		DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:unique;DB_CLOSE_DELAY=-1", "sa",
				"");
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				transaction.executeWithoutResult((status) -> {
					assertThat(client.enqueue("u", FINISHED, "tx")).isEqualTo(ResqueClient.DEFERRED);
					assertThat(client.enqueue("u", FINISHED, "tx")).isEqualTo(ResqueClient.DEFERRED);
					assertThat(raw.sync().exists("resque:" + lock(FINISHED, "[\"tx\"]").name())).isZero();
				});
				assertThat(raw.sync().llen("resque:queue:u")).isOne();
				assertThat(duplicates(context.getBean(MeterRegistry.class))).isEqualTo(1);
				assertThat(client.enqueue("u", FINISHED, "tx")).isEqualTo(ResqueClient.DUPLICATE);
			}
		});
	}

	@Test
	void aDelayedUniqueJobRunsWhenDueAndThenReleasesItsLock(TestRedis redis) {
		this.pool.withConfiguration(AutoConfigurations.of(ResqueSchedulerAutoConfiguration.class)).run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
			jobs.open();
			client.enqueueIn("u", Duration.ofSeconds(1), FINISHED, "later");
			assertThat(client.enqueue("u", FINISHED, "later")).isEqualTo(ResqueClient.DUPLICATE);
			eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("finished later"));
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("1"));
			}
			assertThat(client.enqueue("u", FINISHED, "later")).isPositive();
		});
	}

	@Test
	void dequeueAndRemoveDelayedOfAUniqueJobReleaseItsLock(TestRedis redis) {
		this.clientOnly.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.enqueue("u", FINISHED, "gone")).isPositive();
			assertThat(client.dequeue("u", FINISHED, "gone")).isOne();
			assertThat(client.enqueue("u", FINISHED, "gone")).isPositive();
			client.enqueueIn("u", Duration.ofHours(1), FINISHED, "later");
			assertThat(client.removeDelayed("u", FINISHED, "later")).isOne();
			client.enqueueIn("u", Duration.ofHours(1), FINISHED, "later");
			assertThat(duplicates(context.getBean(MeterRegistry.class))).isZero();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(raw.sync().zcard("resque:delayed_queue_schedule")).isOne();
				assertThat(raw.sync().llen("resque:queue:u")).isOne();
			}
			// Removing nothing leaves the lock of the job that is there.
			assertThat(client.dequeue("u", FINISHED, "absent")).isZero();
			assertThat(client.enqueue("u", FINISHED, "gone")).isEqualTo(ResqueClient.DUPLICATE);
		});
	}

	@Test
	void aJobCutAtMaxRunTimeRunsOnAnotherWorkerWhileItsFirstWorkerRunsSomethingElse(TestRedis redis) {
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			raw.sync().sadd("resque:queues", "u");
			raw.sync()
				.rpush("resque:queue:u", "{\"class\":\"Unique::Long\",\"args\":[\"j\"]}",
						"{\"class\":\"Unique::Block\",\"args\":[\"k1\"]}",
						"{\"class\":\"Unique::Block\",\"args\":[\"k2\"]}");
			this.pool.withPropertyValues("resque.pool.max-run-time=300ms").run((context) -> {
				UniqueTestJobs jobs = context.getBean(UniqueTestJobs.class);
				// The worker that ran the long job until its cut now runs k2, the other
				// one k1.
				eventually(WAIT, () -> assertThat(jobs.started).contains("block k1", "block k2"));
				assertThat(jobs.finished).isEmpty();
				jobs.open("k1");
				eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("long j"));
				assertThat(jobs.started).contains("long j from 0").hasSizeGreaterThan(3);
				jobs.open("k2");
				eventually(WAIT, () -> assertThat(raw.sync().get("resque:stat:processed")).isEqualTo("3"));
				assertThat(raw.sync().exists("resque:" + lock("Unique::Long", "[\"j\"]").name())).isZero();
				assertThat(duplicates(context.getBean(MeterRegistry.class), "Unique::Long")).isZero();
			});
		}
	}

	private static UniqueLock lock(String className, String key) {
		return new UniqueLock(className, key, Duration.ofHours(1));
	}

	private static double duplicates(MeterRegistry meters) {
		return duplicates(meters, FINISHED);
	}

	private static double duplicates(MeterRegistry meters, String className) {
		Counter counter = meters.find("resque.jobs")
			.tags("outcome", "duplicate", "queue", "u", "class", className)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * Skips the jobs whose argument is {@code skip}, after the unique interceptor claimed
	 * their lock.
	 */
	static class SkipHook implements JobInterceptor {

		final AtomicInteger skipped = new AtomicInteger();

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			if (args.length > 0 && "skip".equals(args[0])) {
				this.skipped.incrementAndGet();
				throw new DontPerform();
			}
		}

	}

	private static List<Long> concurrently(int calls, Callable<Long> call) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(10);
		try {
			List<Future<Long>> futures = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				futures.add(threads.submit(call));
			}
			List<Long> results = new ArrayList<>();
			for (Future<Long> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
