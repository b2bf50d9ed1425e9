package io.github.resquepool.autoconfigure.metrics;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.metrics.ResqueJobMetrics;
import io.github.resquepool.metrics.ResqueJobObservationInterceptor;
import io.github.resquepool.metrics.ResqueQueueMetrics;
import io.github.resquepool.metrics.ResqueWorkerMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResquePoolMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResquePoolMetricsAutoConfiguration.class,
				ResquePoolObservationAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=metrics-autoconfig", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.groups.work.queues=metrics-autoconfig",
				"resque.pool.groups.work.count=1")
		.withBean(Jobs.class);

	@Test
	void runWithSpringBootMetricsShouldBindEveryMeter() {
		this.runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ResqueJobMetrics.class)
					.hasSingleBean(ResqueWorkerMetrics.class)
					.hasSingleBean(ResqueQueueMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
					client.sync().sadd("metrics-autoconfig:queues", "metrics-autoconfig");
					client.sync()
						.rpush("metrics-autoconfig:queue:metrics-autoconfig",
								"{\"class\":\"MetricsAutoConfig::Job\",\"args\":[]}");
				}
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(registry.find("resque.jobs").tag("outcome", "success").counter()).isNotNull();
					assertThat(registry.find("resque.workers").tag("group", "work").gauges()).isNotEmpty();
					assertThat(registry.find("resque.queue.size").tag("queue", "metrics-autoconfig").gauge())
						.isNotNull();
				});
			});
	}

	@Test
	void eachJobsAllocationIsRecordedOnPlatformThreads() {
		this.runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
					client.sync().sadd("metrics-autoconfig:queues", "metrics-autoconfig");
					client.sync()
						.rpush("metrics-autoconfig:queue:metrics-autoconfig",
								"{\"class\":\"MetricsAutoConfig::Allocate\",\"args\":[8]}");
				}
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					DistributionSummary allocated = registry.find("resque.job.allocated")
						.tag("class", "MetricsAutoConfig::Allocate")
						.tag("outcome", "success")
						.summary();
					assertThat(allocated).isNotNull();
					assertThat(allocated.count()).isEqualTo(1);
					assertThat(allocated.max()).isGreaterThanOrEqualTo(8 * 1024 * 1024).isLessThan(64 * 1024 * 1024);
				});
			});
	}

	@Test
	void runWithoutThePoolShouldStillGaugeQueues() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("resque.pool.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(ResqueQueueMetrics.class)
				.doesNotHaveBean(ResqueJobMetrics.class)
				.doesNotHaveBean(ResqueWorkerMetrics.class));
	}

	@Test
	void runWithoutAMeterRegistryShouldBackOff() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(ResqueJobMetrics.class)
			.doesNotHaveBean(ResqueWorkerMetrics.class)
			.doesNotHaveBean(ResqueQueueMetrics.class));
	}

	@Test
	void runWithoutMicrometerShouldBackOff() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ResqueJobMetrics.class)
				.doesNotHaveBean(ResqueJobObservationInterceptor.class));
	}

	@Test
	void runWithUserMetricsShouldBackOff() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withBean("myJobMetrics", ResqueJobMetrics.class, () -> new ResqueJobMetrics(new SimpleMeterRegistry(), 10))
			.run((context) -> assertThat(context).hasSingleBean(ResqueJobMetrics.class).hasBean("myJobMetrics"));
	}

	@Test
	void runWithAnObservationRegistryShouldObserveEachJob() {
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasSingleBean(ResqueJobObservationInterceptor.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Jobs jobs = context.getBean(Jobs.class);
			context.getBean(JobInvoker.class)
				.invoke(new JobContext("MetricsAutoConfig::Job", "q", "worker", "{}"), null);
			assertThat(jobs.observed).isTrue();
			assertThat(registry.getCurrentObservation()).isNull();
		});
	}

	@Test
	void runWithoutAnObservationRegistryShouldNotObserve() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ResqueJobObservationInterceptor.class));
	}

	static class Jobs {

		private final ObservationRegistry registry;

		volatile boolean observed;

		Jobs(org.springframework.beans.factory.ObjectProvider<ObservationRegistry> registry) {
			this.registry = registry.getIfAvailable(() -> ObservationRegistry.NOOP);
		}

		volatile byte[] kept;

		@ResqueJob("MetricsAutoConfig::Job")
		void run() {
			this.observed = this.registry.getCurrentObservation() != null;
		}

		@ResqueJob("MetricsAutoConfig::Allocate")
		void allocate(int megabytes) {
			byte[] block = new byte[megabytes * 1024 * 1024];
			block[block.length - 1] = 1;
			this.kept = block;
		}

	}

}
