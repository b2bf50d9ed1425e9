package io.github.resquepool.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.metrics.DefaultResqueJobObservationConvention;
import io.github.resquepool.metrics.ResqueEnqueueObservation;
import io.github.resquepool.metrics.ResqueJobObservationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace context of an enqueue travels in the payload and the job's observation
 * continues it. {@link Propagation} does with the carriers what Micrometer Tracing's
 * propagating sender and receiver handlers do with W3C propagation.
 */
class ResqueTracePropagationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResquePoolMetricsAutoConfiguration.class,
				ResquePoolObservationAutoConfiguration.class, ObservationAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=trace", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.groups.work.queues=traced",
				"resque.pool.groups.work.count=1")
		.withBean(Propagation.class)
		.withBean(Jobs.class);

	@Test
	void theJobContinuesTheTraceOfItsEnqueue() {
		this.runner.withPropertyValues("resque.pool.client.propagate-trace=true").run((context) -> {
			assertThat(context).hasSingleBean(ResqueEnqueueObservation.class);
			flush();
			Propagation propagation = context.getBean(Propagation.class);
			ResqueClient client = context.getBean(ResqueClient.class);
			client.enqueue("traced", "Traced::Job", 42);
			client.enqueueActiveJob("traced", "TracedJob", 43);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(propagation.received).hasSize(2));
			assertThat(propagation.sent).hasSize(2);
			assertThat(propagation.received).containsExactlyElementsOf(propagation.sent);
			assertThat(context.getBean(Jobs.class).payloads.get(0)).matches(
					"\\{\"class\":\"Traced::Job\",\"args\":\\[42\\],\"traceparent\":\"00-[0-9a-f]{32}-[0-9a-f]{16}-01\","
							+ "\"tracestate\":\"resque=test\"}");
			assertThat(context.getBean(Jobs.class).payloads.get(1))
				.startsWith("{\"class\":\"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper\",\"args\":[{")
				.contains("}],\"traceparent\":\"00-");
		});
	}

	@Test
	void withoutThePropertyPayloadsStayAsRubyWritesThem() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ResqueEnqueueObservation.class);
			flush();
			context.getBean(ResqueClient.class).enqueue("traced", "Traced::Job", 42);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(context.getBean(Jobs.class).payloads).hasSize(1));
			assertThat(context.getBean(Jobs.class).payloads.get(0))
				.isEqualTo("{\"class\":\"Traced::Job\",\"args\":[42]}");
			assertThat(context.getBean(Propagation.class).received).containsExactly("none");
		});
	}

	@Test
	void aConventionBeanReplacesTheNameAndKeyValues() {
		this.runner.withBean(MyConvention.class).run((context) -> {
			flush();
			context.getBean(ResqueClient.class).enqueue("traced", "Traced::Job", 1);
			Propagation propagation = context.getBean(Propagation.class);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(propagation.jobContexts).hasSize(1));
			Observation.Context job = propagation.jobContexts.get(0);
			assertThat(job.getName()).isEqualTo("billing.job");
			assertThat(job.getLowCardinalityKeyValue("team").getValue()).isEqualTo("billing");
			assertThat(job.getLowCardinalityKeyValue("resque.class").getValue()).isEqualTo("Traced::Job");
		});
	}

	@Test
	void theObservationsTimerReplacesTheSecondPerJobTimer() {
		this.runner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				flush();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ResqueClient.class).enqueue("traced", "Traced::Job", 1);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(registry.find("resque.jobs").tag("class", "Traced::Job").counter()).isNotNull();
					assertThat(registry.find("resque.job.execution").tag("resque.class", "Traced::Job").timer())
						.isNotNull();
				});
				assertThat(registry.find("resque.job.duration").timer()).isNull();
			});
	}

	@Test
	void withoutObservationsTheDurationTimerStays() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResquePoolMetricsAutoConfiguration.class))
			.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.namespace=trace", "resque.pool.poll-interval=100ms",
					"resque.pool.shutdown-timeout=1s", "resque.pool.groups.work.queues=traced")
			.withBean(SimpleMeterRegistry.class)
			.withBean(Jobs.class)
			.run((context) -> {
				flush();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ResqueClient.class).enqueue("traced", "Traced::Job", 1);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.find("resque.job.duration").timer()).isNotNull());
			});
	}

	private static void flush() {
		try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
			client.sync().del("trace:queue:traced");
		}
	}

	static class Jobs {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@ResqueJob("Traced::Job")
		void traced(io.github.resquepool.job.JobContext context, long id) {
			this.payloads.add(context.payload());
		}

		@ResqueJob("TracedJob")
		void activeJob(io.github.resquepool.job.JobContext context, long id) {
			this.payloads.add(context.payload());
		}

	}

	static class MyConvention extends DefaultResqueJobObservationConvention {

		@Override
		public String getName() {
			return "billing.job";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(ResqueJobObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "billing");
		}

	}

	/** Injects and extracts as Micrometer Tracing's propagating handlers do with W3C. */
	static class Propagation implements ObservationHandler<Observation.Context> {

		private static final AtomicLong ids = new AtomicLong(0x1234);

		final List<String> sent = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		final List<Observation.Context> jobContexts = new CopyOnWriteArrayList<>();

		@Override
		@SuppressWarnings("unchecked")
		public void onStart(Observation.Context context) {
			if (context instanceof SenderContext<?> sender) {
				String traceparent = "00-%032x-%016x-01".formatted(ids.incrementAndGet(), ids.incrementAndGet());
				((SenderContext<Map<String, String>>) sender).getSetter()
					.set(((SenderContext<Map<String, String>>) sender).getCarrier(), "traceparent", traceparent);
				((SenderContext<Map<String, String>>) sender).getSetter()
					.set(((SenderContext<Map<String, String>>) sender).getCarrier(), "tracestate", "resque=test");
				this.sent.add(traceparent);
			}
			else if (context instanceof ReceiverContext<?> receiver) {
				ReceiverContext<Object> typed = (ReceiverContext<Object>) receiver;
				String traceparent = typed.getGetter().get(typed.getCarrier(), "traceparent");
				this.received.add((traceparent != null) ? traceparent : "none");
			}
		}

		@Override
		public void onStop(Observation.Context context) {
			if (context instanceof ResqueJobObservationContext) {
				this.jobContexts.add(context);
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
