package io.github.resquepool.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.embedded.Eventually;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.ResqueJobMethodProcessor;
import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueConnection;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts a pool is made of, built with {@code new} on a real Redis and without a pool
 * or a Spring context, so that each part can be tested alone: the gateway, the jobs of
 * {@link TestJobs}, a pool identity, a launcher, a supervisor thread, a pool state that
 * lets workers start, and a sink that records the events.
 */
final class PoolParts implements AutoCloseable {

	final RedisClient client;

	final ResqueRedis redis;

	final TestJobs jobs = new TestJobs();

	final JobRegistry registry = new JobRegistry();

	final JobInvoker invoker;

	final PoolSettings settings;

	final PoolIdentity identity = PoolIdentity.create(null);

	final PoolState state;

	final PoolWorkers launcher;

	final PoolThread supervisor;

	final RecordingSink events = new RecordingSink();

	private final List<WorkerGroup> made = new CopyOnWriteArrayList<>();

	PoolParts(TestRedis testRedis) {
		this(testRedis, settings(Map.of()));
	}

	PoolParts(TestRedis testRedis, PoolSettings settings) {
		this.client = RedisClient.create(testRedis.url());
		this.redis = new ResqueRedis(
				new ResqueConnection(() -> this.client, Duration.ofSeconds(5), new Connectivity(Clock.systemUTC())),
				new ResqueKeys("resque"));
		JsonMapper mapper = JsonMapper.builder().build();
		new ResqueJobMethodProcessor(this.registry, () -> mapper).postProcessAfterInitialization(this.jobs, "jobs");
		this.invoker = new JobInvoker(this.registry, List.of(), () -> mapper);
		this.settings = settings;
		this.state = new PoolState(false);
		this.launcher = new PoolWorkers(this.redis, this.identity, this.registry, this.invoker, settings,
				ResqueThreads.standard());
		this.supervisor = new PoolThread("resque-pool", true, this.redis.connectivity(), ResqueThreads.standard());
	}

	/**
	 * Settings for tests: a poll of 100 ms, a shutdown timeout of 500 ms, wake-ups by the
	 * poll only.
	 */
	static PoolSettings settings(Map<String, GroupSettings> groups) {
		return new PoolSettings(groups, false, Duration.ZERO, Duration.ofMillis(500), 100, Duration.ofMillis(100),
				Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30), true, null,
				Duration.ofMillis(50), Duration.ofSeconds(1), false, 2, WakeUp.POLL, false);
	}

	static GroupSettings group(String name, String queues, int count) {
		return new GroupSettings(name, QueueSpec.parse(queues), count);
	}

	/** Lets workers start: the pool runs and its first beat went through. */
	PoolParts running() {
		this.state.setLifecycle(PoolState.Lifecycle.RUNNING);
		this.state.registered();
		return this;
	}

	GroupContext context() {
		return new GroupContext(this.settings, this.state, this.launcher, this.supervisor, this.events, () -> {
		});
	}

	WorkerGroup group(GroupSettings settings) {
		WorkerGroup group = new WorkerGroup(settings, context());
		this.made.add(group);
		return group;
	}

	/** Waits until every duty handed to the supervisor thread so far has run. */
	void awaitSupervisor() throws InterruptedException {
		CountDownLatch done = new CountDownLatch(1);
		this.supervisor.execute("marker", done::countDown);
		if (!done.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the supervisor thread did not come round");
		}
	}

	/** Waits until every worker of a group is waiting for a job. */
	static void awaitIdle(WorkerGroup group, int count) {
		Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(group.workers()).hasSize(count)
			.allSatisfy((w) -> assertThat(w.state()).isEqualTo(WorkerState.IDLE)));
	}

	@Override
	public void close() throws Exception {
		this.jobs.destroy();
		for (WorkerGroup group : this.made) {
			group.retireAll();
		}
		Eventually.eventually(Duration.ofSeconds(10), () -> org.assertj.core.api.Assertions.assertThat(this.made)
			.allSatisfy((g) -> org.assertj.core.api.Assertions.assertThat(g.workers()).isEmpty()));
		this.made.forEach((group) -> group.fetcher().close());
		this.supervisor.stop();
		this.redis.close();
		this.client.shutdown();
	}

	/** Records what the parts tell, in order. */
	static final class RecordingSink implements PoolEventSink {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Override
		public void workerStarted(String group, String workerId) {
			this.seen.add("started " + group);
		}

		@Override
		public void workerExited(String group, String workerId, Throwable crash) {
			this.seen.add(((crash != null) ? "crashed " : "exited ") + group);
		}

		@Override
		public void workerStateChanged(String group, String workerId, WorkerState previous, WorkerState state) {
		}

		@Override
		public void jobFinished(String group, RunningJob job, JobResult result, Duration duration) {
			this.seen.add("finished " + job.className() + " " + result.outcome());
		}

		@Override
		public void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt,
				Duration duration) {
		}

		@Override
		public void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration) {
		}

		@Override
		public void jobBlocked(String group, RunningJob job, String limit, String reason) {
		}

		@Override
		public void memoryLimitExceeded(long usedBytes, long limitBytes, String reason) {
		}

		@Override
		public void paused(String group) {
			this.seen.add("paused " + group);
		}

		@Override
		public void resumed(String group) {
			this.seen.add("resumed " + group);
		}

		@Override
		public void scaled(String group, int from, int to) {
			this.seen.add("scaled " + group + " " + from + "->" + to);
		}

		@Override
		public void reloaded(List<String> changes) {
			this.seen.add("reloaded " + changes);
		}

	}

}
