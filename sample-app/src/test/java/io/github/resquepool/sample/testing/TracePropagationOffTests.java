package io.github.resquepool.sample.testing;

import java.time.Duration;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.sample.testing.TracePropagationTests.FinishedSpans;
import io.github.resquepool.sample.testing.TracePropagationTests.Probe;
import io.github.resquepool.test.EmbeddedResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without {@code resque.pool.client.propagate-trace} (the default), the same real tracer
 * leaves payloads as Ruby writes them, and the job's span starts a trace of its own.
 */
@EmbeddedResqueRedis
@SpringBootTest(properties = { "resque.sample.demo-on-start=false", "management.tracing.sampling.probability=1.0" })
@AutoConfigureTracing
@Import(TracePropagationTests.Tracing.class)
class TracePropagationOffTests {

	@Test
	void thePayloadHasNoExtraKeyAndTheJobStartsItsOwnTrace(@Autowired ResqueClient resque,
			@Autowired ObservationRegistry observations, @Autowired FinishedSpans spans, @Autowired Probe probe) {
		Observation checkout = Observation.start("checkout", observations);
		try (Observation.Scope scope = checkout.openScope()) {
			resque.enqueue("mail", "Tracing::Probe", 42);
		}
		finally {
			checkout.stop();
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(probe.runs).hasSize(1);
			assertThat(spans.of("Tracing::Probe", Kind.CONSUMER)).hasSize(1);
		});
		assertThat(probe.runs.get(0).payload()).isEqualTo("{\"class\":\"Tracing::Probe\",\"args\":[42]}");
		assertThat(spans.of("Tracing::Probe", Kind.PRODUCER)).isEmpty();
		MutableSpan caller = spans.finished.stream()
			.filter((span) -> "checkout".equals(span.name()))
			.findFirst()
			.orElseThrow();
		MutableSpan job = spans.of("Tracing::Probe", Kind.CONSUMER).get(0);
		assertThat(job.traceId()).isNotEqualTo(caller.traceId());
		assertThat(job.parentId()).isNull();
		assertThat(probe.runs.get(0).mdc()).containsEntry("traceId", job.traceId());
	}

}
