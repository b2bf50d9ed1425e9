package io.github.resquepool.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.worker.RunningJob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResqueJobMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResquePoolMetricsAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=metrics-jobs", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.groups.work.queues=metrics-q",
				"resque.pool.groups.work.count=2", "resque.pool.client.enqueued-at=true")
		.withBean(SimpleMeterRegistry.class)
		.withBean(MetricsTestJobs.class)
		.withBean(MetricsTestJobs.SkipHook.class);

	@Test
	void finishedJobsAreCountedAndTimedByOutcomeQueueAndClass() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				push(client, "MetricsTest::Succeed");
				push(client, "MetricsTest::Succeed");
				push(client, "MetricsTest::Fail");
				push(client, "MetricsTest::Skip");
			}
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(jobs(registry, "success", "MetricsTest::Succeed")).isEqualTo(2);
				assertThat(jobs(registry, "failure", "MetricsTest::Fail")).isEqualTo(1);
				assertThat(jobs(registry, "dont_perform", "MetricsTest::Skip")).isEqualTo(1);
			});
			assertThat(registry.get("resque.job.duration")
				.tags("outcome", "success", "queue", "metrics-q", "class", "MetricsTest::Succeed")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("resque.job.duration").tag("outcome", "failure").timer().count()).isEqualTo(1);
			assertThat(registry.get("resque.job.duration").tag("outcome", "dont_perform").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void queueLatencyIsRecordedForPayloadsThatCarryAnEnqueueTime() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(ResqueClient.class).enqueue("metrics-q", "MetricsTest::Succeed", "timed");
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				push(client, "MetricsTest::Succeed");
			}
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(jobs(registry, "success", "MetricsTest::Succeed")).isEqualTo(2));
			Timer latency = registry.get("resque.queue.latency").tag("queue", "metrics-q").timer();
			assertThat(latency.count()).isEqualTo(1);
			assertThat(latency.max(TimeUnit.SECONDS)).isBetween(0.0, 10.0);
		});
	}

	@Test
	void workersAreGaugedByGroupAndState() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(WAIT).untilAsserted(() -> assertThat(workers(registry, "idle")).isEqualTo(2));
			context.getBean(ResquePool.class).pause();
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(workers(registry, "paused")).isEqualTo(2);
				assertThat(workers(registry, "idle")).isZero();
			});
		});
	}

	@Test
	void aCrashedWorkerCountsARestart() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				push(client, "MetricsTest::Crash");
			}
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(registry.find("resque.worker.restarts").tag("group", "work").counters())
					.singleElement()
					.satisfies((counter) -> assertThat(counter.count()).isEqualTo(1)));
			assertThat(jobs(registry, "failure", "MetricsTest::Crash")).isEqualTo(1);
		});
	}

	@Test
	void queueAndClassTagsAreBoundedAndTheRestFoldsIntoOther() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ResqueJobMetrics metrics = new ResqueJobMetrics(registry, 2);
		for (String name : new String[] { "A", "B", "C", "D", "A" }) {
			RunningJob job = new RunningJob(name, "queue-" + name, "{}", "sha", Instant.now(), null, 1);
			metrics.jobFinished("work", job, JobResult.notPerformed(new DontPerform()), Duration.ofMillis(5));
		}
		assertThat(registry.find("resque.jobs").counters()).hasSize(3);
		assertThat(registry.get("resque.jobs").tags("class", "A", "queue", "queue-A").counter().count()).isEqualTo(2);
		assertThat(registry.get("resque.jobs").tags("class", "other", "queue", "other").counter().count()).isEqualTo(2);
	}

	@Test
	void registeredClassesAndConfiguredQueuesKeepTheirTagsAfterJunkFilledTheLimit() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ResqueJobMetrics metrics = new ResqueJobMetrics(registry, 2);
		for (String name : new String[] { "J1", "J2", "J3" }) {
			RunningJob junk = new RunningJob(name, "junk-" + name, "{}", "sha", Instant.now(), null, 1);
			metrics.jobFinished("work", junk, JobResult.notPerformed(new DontPerform()), Duration.ofMillis(5));
		}
		RunningJob real = new RunningJob("Billing", "invoices", "{}", "sha", Instant.now(), null, 2, true, true);
		metrics.jobFinished("work", real, JobResult.notPerformed(new DontPerform()), Duration.ofMillis(5));
		assertThat(registry.get("resque.jobs").tags("class", "Billing", "queue", "invoices").counter().count())
			.isEqualTo(1);
	}

	@Test
	void retriesAreCountedAndTimedOnlyWhenNoObservationTimesThem() {
		RunningJob job = new RunningJob("R", "retries", "{}", "sha", Instant.now(), null, 1);
		for (boolean timed : new boolean[] { true, false }) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ResqueJobMetrics metrics = new ResqueJobMetrics(registry, 10, timed);
			for (int attempt = 1; attempt <= 3; attempt++) {
				metrics.jobRetried("work", job, new IllegalStateException("boom"), attempt, Instant.now(),
						Duration.ofMillis(7));
			}
			metrics.jobFinished("work", job, JobResult.performed(), Duration.ofMillis(3));
			assertThat(registry.get("resque.jobs").tags("outcome", "retry", "class", "R").counter().count())
				.isEqualTo(3);
			assertThat(registry.get("resque.jobs").tags("outcome", "success", "class", "R").counter().count())
				.isEqualTo(1);
			Timer retried = registry.find("resque.job.duration").tags("outcome", "retry").timer();
			if (timed) {
				assertThat(retried.count()).isEqualTo(3);
				assertThat(retried.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(21);
			}
			else {
				assertThat(retried).isNull();
				assertThat(registry.find("resque.job.duration").timers()).isEmpty();
			}
		}
	}

	private static double jobs(MeterRegistry registry, String outcome, String className) {
		Counter counter = registry.find("resque.jobs")
			.tags("outcome", outcome, "queue", "metrics-q", "class", className)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double workers(MeterRegistry registry, String state) {
		var gauge = registry.find("resque.workers").tags("group", "work", "state", state).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private static void push(StatefulRedisConnection<String, String> client, String className) {
		client.sync().sadd("metrics-jobs:queues", "metrics-q");
		client.sync().rpush("metrics-jobs:queue:metrics-q", "{\"class\":\"" + className + "\",\"args\":[\"x\"]}");
	}

}
