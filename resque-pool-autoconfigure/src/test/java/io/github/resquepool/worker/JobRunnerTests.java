package io.github.resquepool.worker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.UnknownJobException;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.QueueSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's jobs are read (strict UTF-8, then JSON), their handler looked up once, and
 * run through the invoker; a payload that cannot be read is rejected, never run.
 */
class JobRunnerTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final List<String> performed = new CopyOnWriteArrayList<>();

	private final JobRegistry registry = new JobRegistry();

	private final JobRunner runner = new JobRunner("host:1:work", QueueSpec.parse("work"), this.registry,
			new JobInvoker(this.registry, List.of(), JsonMapper::shared), Duration.ofMinutes(5),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void aPayloadIsReadAndRunByItsHandler() {
		register("Echo", Duration.ofSeconds(7));
		JobRun run = this.runner.read(job("work", "{\"class\":\"Echo\",\"args\":[\"hi\"]}"));
		assertThat(run.rejection()).isNull();
		assertThat(run.context().className()).isEqualTo("Echo");
		assertThat(run.context().workerId()).isEqualTo("host:1:work");
		assertThat(run.running()).isEqualTo(new RunningJob("Echo", "work", "{\"class\":\"Echo\",\"args\":[\"hi\"]}",
				"sha", NOW, Duration.ofSeconds(7), 3, true, true));
		assertThat(this.runner.perform(run)).isEqualTo(JobResult.performed());
		assertThat(this.performed).containsExactly("Echo hi");
	}

	@Test
	void aHandlerWithoutTimeoutTakesTheWorkersDefault() {
		register("Echo", null);
		JobRun run = this.runner.read(job("other", "{\"class\":\"Echo\",\"args\":[\"hi\"]}"));
		assertThat(run.running().timeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(run.running().configuredQueue()).isFalse();
	}

	@Test
	void anUnknownClassFailsWithoutRunningAnything() {
		register("Echo", null);
		JobRun run = this.runner.read(job("work", "{\"class\":\"Nope\",\"args\":[]}"));
		assertThat(run.handler()).isNull();
		assertThat(run.running().registeredClass()).isFalse();
		JobResult result = this.runner.perform(run);
		assertThat(result.error()).isInstanceOf(UnknownJobException.class);
		assertThat(this.performed).isEmpty();
	}

	@Test
	void theHandlerIsLookedUpOnceOnAJobsWay() {
		JobRun run = this.runner.read(job("work", "{\"class\":\"Late\",\"args\":[\"x\"]}"));
		assertThat(run.running().registeredClass()).isFalse();
		// Registered after the job was read: the job runs as it was read, unknown.
		register("Late", null);
		JobResult result = this.runner.perform(run);
		assertThat(result.error()).isInstanceOf(UnknownJobException.class);
		assertThat(this.performed).isEmpty();
		// The same payload read now runs, so the check above could have failed.
		assertThat(this.runner.perform(this.runner.read(job("work", "{\"class\":\"Late\",\"args\":[\"x\"]}"))))
			.isEqualTo(JobResult.performed());
		assertThat(this.performed).containsExactly("Late x");
	}

	@Test
	void aPayloadThatIsNotUtf8IsRejected() {
		byte[] bytes = { '{', '"', (byte) 0xC3, '"', '}' };
		JobRun run = this.runner.read(new Fetch.Job("work", bytes, "sha", false, 3));
		assertThat(run.rejection()).hasMessageContaining("UTF-8");
		assertThat(run.running().className()).isEqualTo("<Unknown Job>");
		assertThat(run.running().timeout()).isNull();
		assertThat(run.payload()).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
	}

	@Test
	void aPayloadThatIsNotJsonIsRejected() {
		JobRun run = this.runner.read(job("work", "not json"));
		assertThat(run.rejection()).isNotNull();
		assertThat(run.parsed()).isNull();
		assertThat(run.payload()).isEqualTo("not json");
		assertThat(run.running().className()).isEqualTo("<Unknown Job>");
	}

	@Test
	void aPayloadHoldingAReplacementCharacterIsRead() {
		register("Echo", null);
		JobRun run = this.runner.read(job("work", "{\"class\":\"Echo\",\"args\":[\"\uFFFD\"]}"));
		assertThat(run.rejection()).isNull();
		assertThat(this.runner.perform(run)).isEqualTo(JobResult.performed());
		assertThat(this.performed).containsExactly("Echo \uFFFD");
	}

	private void register(String name, Duration timeout) {
		this.registry.register(new JobHandler(name, new Jobs(name, this.performed),
				ReflectionUtils.findMethod(Jobs.class, "perform", String.class), timeout, JsonMapper::shared));
	}

	private static Fetch.Job job(String queue, String payload) {
		return new Fetch.Job(queue, payload.getBytes(StandardCharsets.UTF_8), "sha", false, 3);
	}

	static class Jobs {

		private final String name;

		private final List<String> performed;

		Jobs(String name, List<String> performed) {
			this.name = name;
			this.performed = performed;
		}

		public void perform(String text) {
			this.performed.add(this.name + " " + text);
		}

	}

}
