package io.github.resquepool.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import io.github.resquepool.job.JobArgumentException;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.RetryPolicy;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.RetryKey;
import io.github.resquepool.resque.RubyJson;

/**
 * Whether and when a job that ended runs again, as resque-retry decides it: the outcome a
 * worker records with its next turn. A failure of a job whose handler has retries carries
 * a {@link Outcome.Retry} (its attempt-count key, its delays and the delayed item), and
 * the recording's atomic step then either schedules the item or, after the last attempt,
 * writes the failure entry; a success with retries clears the attempt count. Arguments
 * that cannot be bound and fatal errors are not retried.
 */
final class RetryDecision {

	/** How long a retried job's attempt count outlives its wait in the delayed queue. */
	static final Duration RETRY_KEY_TTL = Duration.ofDays(1);

	private final String workerId;

	private final DoubleSupplier random;

	/**
	 * Creates the decision of one worker, with a random jitter.
	 * @param workerId the worker's Resque id, written in failure entries
	 */
	RetryDecision(String workerId) {
		this(workerId, () -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * Creates the decision of one worker.
	 * @param workerId the worker's Resque id, written in failure entries
	 * @param random the source of the jitter's share, in {@code [0, 1)}
	 */
	RetryDecision(String workerId, DoubleSupplier random) {
		this.workerId = workerId;
		this.random = random;
	}

	/**
	 * Decides the outcome of a job that ran.
	 * @param run the job
	 * @param result what became of it
	 * @param fatal whether it ended with a {@link VirtualMachineError}, which is never
	 * retried
	 * @return the outcome to record; a failure that may run again has a
	 * {@link Outcome#retry() retry}
	 */
	Outcome outcome(JobRun run, JobResult result, boolean fatal) {
		Fetch.Job job = run.job();
		boolean failed = result.outcome() == JobResult.Outcome.FAILED;
		RetryPolicy policy = run.retryPolicy();
		if (!policy.retries() || fatal) {
			if (failed) {
				return Outcome.failed(job.statusSha(), failure(run, result));
			}
			return Outcome.succeeded(job.statusSha());
		}
		JobPayload parsed = run.parsed();
		String key = RetryKey.of(parsed.className(), parsed.args());
		if (!failed) {
			return Outcome.succeeded(job.statusSha(), key);
		}
		if (result.error() instanceof JobArgumentException) {
			// The same arguments fail the same way on every attempt.
			return Outcome.failed(job.statusSha(), failure(run, result));
		}
		Outcome.Retry retry = Outcome.Retry.of(key, policy.maxRetries(), policy.delay().toMillis(), policy.multiplier(),
				policy.maxDelay().toMillis(), policy.jitter().toMillis(), this.random.getAsDouble(),
				RETRY_KEY_TTL.toSeconds(), job.queue(), parsed.className(), RubyJson.write(argsOrEmpty(parsed)));
		return Outcome.failed(job.statusSha(), failure(run, result), retry);
	}

	private FailureRecord failure(JobRun run, JobResult result) {
		return JobFailure.of(result.error(), this.workerId, run.job().queue(), run.payload());
	}

	private static JsonNode argsOrEmpty(JobPayload parsed) {
		return (parsed.args() != null) ? parsed.args() : JsonNodeFactory.instance.arrayNode();
	}

}
