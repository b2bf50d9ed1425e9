package io.github.resquepool.job;

import org.springframework.util.Assert;

/**
 * What became of one job run by {@link JobInvoker}.
 *
 * @param outcome what happened
 * @param error why it failed for {@link Outcome#FAILED}; the {@link DontPerform} that
 * skipped it, if any, for {@link Outcome#NOT_PERFORMED}; else {@code null}
 */
public record JobResult(Outcome outcome, Throwable error) {

	/**
	 * Creates a result.
	 * @param outcome what happened
	 * @param error the error, required for {@link Outcome#FAILED}
	 */
	public JobResult {
		Assert.notNull(outcome, "'outcome' must not be null");
		Assert.isTrue(outcome != Outcome.FAILED || error != null, "A failed job needs an error");
	}

	/**
	 * The handler ran and nothing raised.
	 * @return the result
	 */
	public static JobResult performed() {
		return new JobResult(Outcome.PERFORMED, null);
	}

	/**
	 * The job was skipped on purpose.
	 * @param reason the {@link DontPerform} that skipped it, or {@code null} when an
	 * around hook did not proceed
	 * @return the result
	 */
	public static JobResult notPerformed(DontPerform reason) {
		return new JobResult(Outcome.NOT_PERFORMED, reason);
	}

	/**
	 * The job failed.
	 * @param error why
	 * @return the result
	 */
	public static JobResult failed(Throwable error) {
		return new JobResult(Outcome.FAILED, error);
	}

	/** What happened to a job. */
	public enum Outcome {

		/** The handler ran and nothing raised. */
		PERFORMED,

		/**
		 * Skipped on purpose, by {@link DontPerform} or an around hook that did not
		 * proceed: not a failure.
		 */
		NOT_PERFORMED,

		/** Unknown, unbindable, or something raised: a failure. */
		FAILED

	}

}
