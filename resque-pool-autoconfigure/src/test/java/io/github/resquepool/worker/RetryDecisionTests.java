package io.github.resquepool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import io.github.resquepool.job.JobArgumentException;
import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.RetryPolicy;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.RetryKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed job whose handler has retries goes back through the delayed queue with its
 * attempt count; its success clears the count; bad arguments, fatal errors and handlers
 * without retries give a failure entry at once.
 */
class RetryDecisionTests {

	private static final RetryPolicy THREE = new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofHours(1),
			Duration.ZERO);

	private final JobRegistry registry = new JobRegistry();

	private final JobRunner runner = new JobRunner("host:1:work", QueueSpec.parse("work"), this.registry,
			new JobInvoker(this.registry, List.of(), JsonMapper::shared), null, Clock.systemUTC());

	private final RetryDecision decision = new RetryDecision("host:1:work", () -> 0.5);

	RetryDecisionTests() {
		register("Retried", THREE);
		register("Once", RetryPolicy.NONE);
	}

	@Test
	void aFailureWithRetriesLeftCarriesItsRetry() {
		JobRun run = read("{\"class\":\"Retried\",\"args\":[1,\"a\"]}");
		Outcome outcome = this.decision.outcome(run, JobResult.failed(new IOException("boom")), false);
		assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
		assertThat(outcome.failureEntry().worker()).isEqualTo("host:1:work");
		assertThat(outcome.retry().key()).isEqualTo(RetryKey.of("Retried", run.parsed().args()));
		assertThat(outcome.retry().item()).isEqualTo("{\"class\":\"Retried\",\"args\":[1,\"a\"],\"queue\":\"work\"}");
	}

	@Test
	void aFailureWithoutArgsRetriesWithAnEmptyList() {
		JobRun run = read("{\"class\":\"Retried\"}");
		Outcome outcome = this.decision.outcome(run, JobResult.failed(new IOException("boom")), false);
		assertThat(outcome.retry().item()).isEqualTo("{\"class\":\"Retried\",\"args\":[],\"queue\":\"work\"}");
	}

	@Test
	void aSuccessWithRetriesClearsTheAttemptCount() {
		JobRun run = read("{\"class\":\"Retried\",\"args\":[1]}");
		Outcome outcome = this.decision.outcome(run, JobResult.performed(), false);
		assertThat(outcome.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
		assertThat(outcome.retry().key()).isEqualTo(RetryKey.of("Retried", run.parsed().args()));
		assertThat(outcome.retry().item()).isEmpty();
	}

	@Test
	void argumentsThatCannotBeBoundAreNotRetried() {
		JobRun run = read("{\"class\":\"Retried\",\"args\":[1]}");
		Outcome outcome = this.decision.outcome(run, JobResult.failed(new JobArgumentException("wrong arguments")),
				false);
		assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
		assertThat(outcome.failureEntry()).isNotNull();
		assertThat(outcome.retry()).isNull();
	}

	@Test
	void aFatalErrorIsNotRetried() {
		JobRun run = read("{\"class\":\"Retried\",\"args\":[1]}");
		Outcome outcome = this.decision.outcome(run, JobResult.failed(new StackOverflowError()), true);
		assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
		assertThat(outcome.retry()).isNull();
	}

	@Test
	void aHandlerWithoutRetriesFailsAtOnce() {
		JobRun run = read("{\"class\":\"Once\",\"args\":[1]}");
		Outcome failed = this.decision.outcome(run, JobResult.failed(new IOException("boom")), false);
		assertThat(failed.kind()).isEqualTo(Outcome.Kind.FAILED);
		assertThat(failed.failureEntry().payload()).isNotNull();
		assertThat(failed.retry()).isNull();
		assertThat(this.decision.outcome(run, JobResult.performed(), false))
			.isEqualTo(Outcome.succeeded(run.job().statusSha()));
	}

	@Test
	void aRejectedPayloadFailsAtOnce() {
		JobRun run = read("not json");
		Outcome outcome = this.decision.outcome(run, JobResult.failed(run.rejection()), false);
		assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
		assertThat(outcome.retry()).isNull();
	}

	private JobRun read(String payload) {
		return this.runner.read(new Fetch.Job("work", payload.getBytes(StandardCharsets.UTF_8), "sha", false, 1));
	}

	private void register(String name, RetryPolicy policy) {
		this.registry.register(
				new JobHandler(name, new Jobs(), ReflectionUtils.findMethod(Jobs.class, "perform", (Class<?>[]) null),
						null, policy, JsonMapper::shared));
	}

	static class Jobs {

		public void perform(Object... args) {
		}

	}

}
