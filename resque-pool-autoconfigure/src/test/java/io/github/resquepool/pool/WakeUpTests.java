package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.worker.WorkerState;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How idle workers learn about new jobs, and which threads run them.
 */
@ExtendWith(RedisExtension.class)
class WakeUpTests {

	private final ApplicationContextRunner runner;

	WakeUpTests(TestRedis redis) {
		this.runner = PoolTestSupport.runner(redis).withBean(ThreadProbe.class);
	}

	@Test
	void clientEnqueueWakesAnIdleWorkerAtOnceWhateverThePollInterval(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=3",
					"resque.pool.poll-interval=1m")
			.run((context) -> {
				ResqueClient client = context.getBean(ResqueClient.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> redisClient = redis.connect()) {
					PoolTestSupport.awaitIdleAndSubscribed(redisClient, context.getBean(ResquePool.class), 3);
				}
				client.enqueue("q", "Test::Record", "fast");
				// Long before the poll interval: only the wake-up can have found it.
				eventually(Duration.ofSeconds(10), () -> assertThat(jobs.runs).containsExactly("Record:fast"));
			});
	}

	@Test
	void foreignPushIsPickedUpWithinThePollInterval(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2",
					"resque.pool.poll-interval=300ms")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					PoolTestSupport.awaitIdleAndSubscribed(client, context.getBean(ResquePool.class), 2);
					push(client, "q", "Test::Record", "\"foreign\"");
					eventually(Duration.ofSeconds(10), () -> assertThat(jobs.runs).containsExactly("Record:foreign"));
				}
			});
	}

	@Test
	void aBurstIsSpreadOverIdleWorkers(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=4",
					"resque.pool.poll-interval=10s")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> redisClient = redis.connect()) {
					PoolTestSupport.awaitIdleAndSubscribed(redisClient, context.getBean(ResquePool.class), 4);
				}
				for (int i = 0; i < 4; i++) {
					client.enqueue("q", "Test::Block", "b" + i);
				}
				eventually(Duration.ofSeconds(3), () -> assertThat(jobs.started).hasSize(4));
				for (int i = 0; i < 4; i++) {
					jobs.open("b" + i);
				}
				eventually(Duration.ofSeconds(3), () -> assertThat(jobs.runs).hasSize(4));
			});
	}

	@Test
	void workersRunOnVirtualThreadsNamedAfterTheWorkerWhenEnabled(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"spring.threads.virtual.enabled=true")
			.run((context) -> {
				context.getBean(ResqueClient.class).enqueue("q", "Probe::Thread");
				ThreadProbe probe = context.getBean(ThreadProbe.class);
				eventually(Duration.ofSeconds(3), () -> assertThat(probe.seen).hasSize(1));
				assertThat(probe.seen.get(0)).startsWith("virtual ").endsWith(":q");
				assertThat(probe.seen.get(0).substring("virtual ".length())).isEqualTo(probe.workers.get(0));
			});
	}

	@Test
	void workersRunOnPlatformThreadsByDefault(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				context.getBean(ResqueClient.class).enqueue("q", "Probe::Thread");
				ThreadProbe probe = context.getBean(ThreadProbe.class);
				eventually(Duration.ofSeconds(3), () -> assertThat(probe.seen).hasSize(1));
				assertThat(probe.seen.get(0)).startsWith("platform ");
			});
	}

	@Test
	void aJobThatIgnoresItsInterruptIsReportedStuckAndItsSlotReplaced(TestRedis redis) {
		AtomicReference<TestJobs> testJobs = new AtomicReference<>();
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				testJobs.set(jobs);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// it would spin for a minute: only the end of the test's context
					// stops it
					push(client, "q", "Test::Stubborn", "60000");
					eventually(Duration.ofSeconds(10),
							() -> assertThat(pool.status().workers()).anyMatch((w) -> w.state() == WorkerState.STUCK)
								.anyMatch((w) -> w.state() == WorkerState.IDLE));
					assertThat((String) client.sync().lindex("resque:failed", 0))
						.contains("ignored the interrupt (stuck)");
					push(client, "q", "Test::Record", "\"capacity\"");
					eventually(Duration.ofSeconds(3), () -> assertThat(jobs.runs).contains("Record:capacity"));
					assertThat(pool.status().groups().get(0).live()).isEqualTo(1);
				}
			});
		// the stuck thread does not outlive the test and keep a core busy
		eventually(Duration.ofSeconds(10), () -> assertThat(testJobs.get().runs).contains("Stubborn:60000"));
	}

	/** Records the kind and name of the thread that runs a job. */
	static class ThreadProbe {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<String> workers = new CopyOnWriteArrayList<>();

		@ResqueJob("Probe::Thread")
		void probe(JobContext context) {
			Thread thread = Thread.currentThread();
			this.seen.add((thread.isVirtual() ? "virtual " : "platform ") + thread.getName());
			this.workers.add(context.workerId());
		}

	}

}
