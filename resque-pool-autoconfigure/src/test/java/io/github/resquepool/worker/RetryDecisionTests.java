package io.github.resquepool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ReflectionUtils;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobArgumentException;
import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.RetryPolicy;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RetryKey;
import io.github.resquepool.resque.Turn;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed job whose handler has retries goes back through the delayed queue with its
 * attempt count; its success clears the count; bad arguments, fatal errors and handlers
 * without retries give a failure entry at once. The decision is carried out by the
 * worker's next turn, in Redis.
 */
@ExtendWith(RedisExtension.class)
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

	@Test
	void theNextTurnSchedulesTheRetryThenWritesTheFailureAfterTheLastAttempt(TestRedis redis) {
		RetryPolicy once = new RetryPolicy(1, Duration.ofSeconds(10), 2.0, Duration.ofHours(1), Duration.ZERO);
		register("RetriedOnce", once);
		String worker = "host:1:work";
		String payload = "{\"class\":\"RetriedOnce\",\"args\":[7]}";
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("resque.pool.enabled=false")
			.withPropertyValues(redis.springPropertyValues())
			.run((context) -> {
				ResqueRedis resque = context.getBean(ResqueRedis.class);
				resque.workers().register("host:1:pool", "2026-12-02 10:00:00 +0000", List.of(worker));
				try (StatefulRedisConnection<String, String> client = redis.connect();
						GroupFetcher fetcher = new GroupFetcher(resque.jobs(), "host:1:pool", "work",
								QueueSpec.parse("work"), Clock.systemUTC(), 1)) {
					client.sync().sadd("resque:queues", "work");
					client.sync().rpush("resque:queue:work", payload);
					Outcome first = failOnce(fetcher, worker);
					assertThat(first.retry().decision().retried()).isTrue();
					assertThat(first.retry().decision().attempt()).isEqualTo(1);
					assertThat(client.sync().zcard("resque:delayed_queue_schedule")).isEqualTo(1L);
					assertThat(client.sync().lrange("resque:delayed:" + first.retry().decision().bucket(), 0, -1))
						.isEqualTo(List.of(first.retry().item()));
					assertThat(client.sync().llen("resque:failed")).as("no failure entry while retried").isEqualTo(0L);
					client.sync().rpush("resque:queue:work", payload);
					Outcome last = failOnce(fetcher, worker);
					assertThat(last.retry().decision().retried()).isFalse();
					assertThat(client.sync().llen("resque:failed")).isEqualTo(1L);
					assertThat(client.sync().exists("resque:" + last.retry().key())).as("attempt count cleared")
						.isEqualTo(0L);
				}
			});
	}

	private Outcome failOnce(GroupFetcher fetcher, String worker) {
		Fetch.Job job = (Fetch.Job) fetcher.turn(new Turn(worker, null, true));
		Outcome outcome = this.decision.outcome(this.runner.read(job), JobResult.failed(new IOException("boom")),
				false);
		fetcher.turn(new Turn(worker, outcome, false));
		return outcome;
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
