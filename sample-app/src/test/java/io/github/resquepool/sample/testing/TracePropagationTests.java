package io.github.resquepool.sample.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.test.EmbeddedResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resque.pool.client.propagate-trace=true} with a real Micrometer Tracing bridge
 * (Brave) and Spring Boot's tracing auto-configuration (docs/metrics.md, "Traces across
 * the queue" and "Logs"): the enqueue writes the W3C trace context into the payload, the
 * pool's job continues that trace, and the MDC of the job holds its ids.
 */
@EmbeddedResqueRedis
@SpringBootTest(properties = { "resque.sample.demo-on-start=false", "resque.pool.client.propagate-trace=true",
		"management.tracing.sampling.probability=1.0" })
@AutoConfigureTracing
class TracePropagationTests {

	@Autowired
	private ResqueClient resque;

	@Autowired
	private ObservationRegistry observations;

	@Autowired
	private FinishedSpans spans;

	@Autowired
	private Probe probe;

	@BeforeEach
	void forget() {
		this.spans.finished.clear();
		this.probe.runs.clear();
	}

	@Test
	void theJobContinuesTheTraceOfItsEnqueue() {
		Observation checkout = Observation.start("checkout", this.observations);
		try (Observation.Scope scope = checkout.openScope()) {
			this.resque.enqueue("mail", "Tracing::Probe", 42);
		}
		finally {
			checkout.stop();
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.probe.runs).hasSize(1);
			assertThat(this.spans.of("Tracing::Probe", Kind.CONSUMER)).hasSize(1);
		});
		MutableSpan caller = this.spans.finished.stream()
			.filter((span) -> "checkout".equals(span.name()))
			.findFirst()
			.orElseThrow();
		MutableSpan enqueue = this.spans.of("Tracing::Probe", Kind.PRODUCER).get(0);
		MutableSpan job = this.spans.of("Tracing::Probe", Kind.CONSUMER).get(0);
		assertThat(enqueue.traceId()).hasSize(32).isEqualTo(caller.traceId());
		assertThat(enqueue.parentId()).isEqualTo(caller.id());
		assertThat(job.traceId()).isEqualTo(enqueue.traceId());
		assertThat(job.parentId()).isEqualTo(enqueue.id());
		assertThat(job.id()).isNotEqualTo(enqueue.id());

		Run run = this.probe.runs.get(0);
		JsonNode payload = JsonMapper.shared().readTree(run.payload());
		List<String> keys = new ArrayList<>(payload.propertyNames());
		assertThat(keys).containsExactly("class", "args", "traceparent");
		assertThat(payload.get("class").asString()).isEqualTo("Tracing::Probe");
		assertThat(payload.get("args").toString()).isEqualTo("[42]");
		assertThat(payload.get("traceparent").asString())
			.isEqualTo("00-" + enqueue.traceId() + "-" + enqueue.id() + "-01");

		assertThat(run.mdc()).containsEntry("traceId", enqueue.traceId())
			.containsEntry("spanId", job.id())
			.containsEntry("resque.queue", "mail")
			.containsEntry("resque.class", "Tracing::Probe")
			.containsKey("resque.worker");
		assertThat(run.mdc().get("resque.worker")).isEqualTo(run.worker());
	}

	@Test
	void anActiveJobContinuesTheTraceAndLogsItsJobId() {
		String jobId = this.resque.enqueueActiveJob("mail", "TracingProbeJob", 43);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.probe.runs).hasSize(1);
			assertThat(this.spans.of("TracingProbeJob", Kind.CONSUMER)).hasSize(1);
		});
		MutableSpan job = this.spans.of("TracingProbeJob", Kind.CONSUMER).get(0);
		MutableSpan enqueue = this.spans.finished.stream()
			.filter((span) -> span.id().equals(job.parentId()))
			.findFirst()
			.orElseThrow();
		assertThat(enqueue.kind()).isEqualTo(Kind.PRODUCER);
		assertThat(enqueue.traceId()).isEqualTo(job.traceId());
		Run run = this.probe.runs.get(0);
		JsonNode payload = JsonMapper.shared().readTree(run.payload());
		assertThat(new ArrayList<>(payload.propertyNames())).containsExactly("class", "args", "traceparent");
		assertThat(payload.get("class").asString()).isEqualTo("ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper");
		assertThat(payload.get("traceparent").asString())
			.isEqualTo("00-" + enqueue.traceId() + "-" + enqueue.id() + "-01");
		assertThat(run.mdc()).containsEntry("traceId", job.traceId())
			.containsEntry("spanId", job.id())
			.containsEntry("resque.class", "TracingProbeJob")
			.containsEntry("resque.job_id", jobId);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		FinishedSpans finishedSpans() {
			return new FinishedSpans();
		}

		@Bean
		Probe probe() {
			return new Probe();
		}

	}

	/** Records every span Brave finishes, as a reporter would send them. */
	static class FinishedSpans extends SpanHandler {

		final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			if (cause == Cause.FINISHED) {
				this.finished.add(span);
			}
			return true;
		}

		List<MutableSpan> of(String resqueClass, Kind kind) {
			return this.finished.stream()
				.filter((span) -> resqueClass.equals(span.tag("resque.class")) && span.kind() == kind)
				.toList();
		}

	}

	/**
	 * A job that keeps what it saw: its payload, as the pool took it from Redis, and the
	 * MDC.
	 */
	static class Probe {

		final List<Run> runs = new CopyOnWriteArrayList<>();

		@ResqueJob("Tracing::Probe")
		void run(JobContext context, long id) {
			this.runs.add(new Run(context.payload(), context.workerId(), Map.copyOf(MDC.getCopyOfContextMap())));
		}

		@ResqueJob("TracingProbeJob")
		void activeJob(JobContext context, long id) {
			run(context, id);
		}

	}

	record Run(String payload, String worker, Map<String, String> mdc) {
	}

}
