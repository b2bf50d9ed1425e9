package io.github.resquepool.resque;

/**
 * The outcome of a job, recorded in Redis with the worker's next turn.
 *
 * @param kind what happened
 * @param statusSha the SHA-1 of the job's working status, from {@link Fetch.Job#statusSha()}
 * @param failureEntry the failure entry to append for {@link Kind#FAILED} and
 * {@link Kind#DIRTY_EXIT}, else {@code null}
 */
public record Outcome(Kind kind, String statusSha, FailureRecord failureEntry) {

	/**
	 * A job that finished, or was not performed on purpose: counted as processed.
	 * @param statusSha the job's status SHA-1
	 * @return the outcome
	 */
	public static Outcome succeeded(String statusSha) {
		return new Outcome(Kind.SUCCEEDED, statusSha, null);
	}

	/**
	 * A job whose code failed: a failure entry, counted as processed and failed.
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure entry
	 * @return the outcome
	 */
	public static Outcome failed(String statusSha, FailureRecord failure) {
		return new Outcome(Kind.FAILED, statusSha, failure);
	}

	/**
	 * A job that never finished (its worker was stopped or died): a failure entry, counted as
	 * processed but not as failed, as Ruby counts {@code Resque::DirtyExit}.
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure entry
	 * @return the outcome
	 */
	public static Outcome dirtyExit(String statusSha, FailureRecord failure) {
		return new Outcome(Kind.DIRTY_EXIT, statusSha, failure);
	}

	/** What happened to a job. */
	public enum Kind {

		/** Finished, or not performed on purpose. */
		SUCCEEDED("ok"),

		/** Its code raised an exception. */
		FAILED("fail"),

		/** It never finished. */
		DIRTY_EXIT("dirty");

		private final String scriptValue;

		Kind(String scriptValue) {
			this.scriptValue = scriptValue;
		}

		String scriptValue() {
			return this.scriptValue;
		}

	}

}
