package io.github.resquepool.job;

import org.springframework.util.Assert;

/**
 * What became of one job run by {@link JobInvoker}.
 *
 * @param outcome what happened
 * @param error why it failed for {@link Outcome#FAILED}; the {@link DontPerform} that
 * skipped it, if any, for {@link Outcome#NOT_PERFORMED}; else {@code null}
 * @param allocatedBytes the bytes the job's thread allocated while it ran, or {@code -1}
 * when the JVM cannot tell (a virtual thread, a JVM without the measurement)
 */
public record JobResult(Outcome outcome, Throwable error, long allocatedBytes) {

	/**
	 * Creates a result whose allocation is unknown.
	 * @param outcome what happened
	 * @param error the error of a failure, or the reason a job was not performed
	 */
	public JobResult(Outcome outcome, Throwable error) {
		this(outcome, error, -1);
	}

	/**
	 * @param bytes the bytes the job's thread allocated, or {@code -1}
	 * @return this result with that allocation
	 */
	public JobResult withAllocatedBytes(long bytes) {
		return new JobResult(this.outcome, this.error, bytes);
	}

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
