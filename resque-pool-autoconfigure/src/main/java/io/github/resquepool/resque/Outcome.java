package io.github.resquepool.resque;

/**
 * The outcome of a job, recorded in Redis with the worker's next turn.
 *
 * @param kind what happened
 * @param statusSha the SHA-1 of the job's working status, from
 * {@link Fetch.Job#statusSha()}
 * @param failureEntry the failure entry to append for {@link Kind#FAILED} and
 * {@link Kind#DIRTY_EXIT}, else {@code null}
 * @param retry for a job with retries: how to retry a failure, or which attempt count to
 * clear after a success; else {@code null}
 * @param checkpoint the job's checkpoint key ({@link CheckpointStore#key}), deleted with
 * a success, or {@code null} when the job saved none
 */
public record Outcome(Kind kind, String statusSha, FailureRecord failureEntry, Retry retry, String checkpoint) {

	/**
	 * Creates an outcome without a checkpoint.
	 * @param kind what happened
	 * @param statusSha the job's status SHA-1
	 * @param failureEntry the failure entry, or {@code null}
	 * @param retry how to retry, or {@code null}
	 */
	public Outcome(Kind kind, String statusSha, FailureRecord failureEntry, Retry retry) {
		this(kind, statusSha, failureEntry, retry, null);
	}

	/**
	 * Creates an outcome without retries.
	 * @param kind what happened
	 * @param statusSha the job's status SHA-1
	 * @param failureEntry the failure entry, or {@code null}
	 */
	public Outcome(Kind kind, String statusSha, FailureRecord failureEntry) {
		this(kind, statusSha, failureEntry, null);
	}

	/**
	 * A job that stopped at a checkpoint: it goes back to its queue as it was taken,
	 * counted neither as processed nor as failed, and its checkpoint stays for its next
	 * run.
	 * @param statusSha the job's status SHA-1
	 * @param head whether it goes back to the head of its queue (a stop) rather than the
	 * tail (it ran past {@code max-run-time})
	 * @return the outcome
	 */
	public static Outcome requeued(String statusSha, boolean head) {
		return new Outcome(head ? Kind.REQUEUED_HEAD : Kind.REQUEUED_TAIL, statusSha, null);
	}

	/**
	 * @param checkpoint the job's checkpoint key, deleted with a success, or {@code null}
	 * @return this outcome with that checkpoint key
	 */
	public Outcome withCheckpoint(String checkpoint) {
		if (checkpoint == null && this.checkpoint == null) {
			return this;
		}
		return new Outcome(this.kind, this.statusSha, this.failureEntry, this.retry, checkpoint);
	}

	/**
	 * A job with retries that finished, or was not performed on purpose: counted as
	 * processed, and its attempt count is deleted, as resque-retry's
	 * {@code after_perform} does.
	 * @param statusSha the job's status SHA-1
	 * @param retryKey its attempt-count key ({@link RetryKey}), without the namespace
	 * @return the outcome
	 */
	public static Outcome succeeded(String statusSha, String retryKey) {
		return new Outcome(Kind.SUCCEEDED, statusSha, null, Retry.clear(retryKey));
	}

	/**
	 * A job with retries whose code failed. Where the outcome is recorded, in the same
	 * atomic step, its attempt count decides: with retries left the job goes back through
	 * the delayed queue and no failure entry is written; after the last attempt the
	 * failure entry is written with {@code "attempts":n} and the count is deleted.
	 * {@link Retry#decision()} tells which.
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure entry of the last attempt
	 * @param retry how to retry
	 * @return the outcome
	 */
	public static Outcome failed(String statusSha, FailureRecord failure, Retry retry) {
		return new Outcome(Kind.FAILED, statusSha, failure, retry);
	}

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
	 * A job that never finished (its worker was stopped or died): a failure entry,
	 * counted as processed but not as failed, as Ruby counts {@code Resque::DirtyExit}.
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure entry
	 * @return the outcome
	 */
	public static Outcome dirtyExit(String statusSha, FailureRecord failure) {
		return new Outcome(Kind.DIRTY_EXIT, statusSha, failure);
	}

	String scriptValue() {
		return (this.kind == Kind.FAILED && this.retry != null) ? "retry" : this.kind.scriptValue();
	}

	/**
	 * How a failed job is retried, or which attempt count a finished one clears, and,
	 * once the outcome was recorded, what the recording decided.
	 */
	public static final class Retry {

		private final String key;

		private final String numbers;

		private final String queue;

		private final String item;

		private final String job;

		private volatile Decision decision;

		private Retry(String key, String numbers, String queue, String item, String job) {
			this.key = key;
			this.numbers = numbers;
			this.queue = queue;
			this.item = item;
			this.job = job;
		}

		static Retry clear(String key) {
			return new Retry(key, "", "", "", "");
		}

		/**
		 * Describes the retry of a failed job.
		 * @param key its attempt-count key ({@link RetryKey}), without the namespace
		 * @param maxRetries how many retries it may have
		 * @param delayMillis the wait before the first retry
		 * @param multiplier the growth of each further wait
		 * @param maxDelayMillis the longest wait
		 * @param jitterMillis the random spread of the first wait, either way
		 * @param random a random number in {@code [0, 1)} that places the wait in its
		 * spread
		 * @param keyTtlSeconds how long the attempt count outlives the wait
		 * @param queue the queue the job goes back to
		 * @param className its class
		 * @param argsJson its arguments as Ruby writes them ({@link RubyJson})
		 * @return the retry
		 */
		public static Retry of(String key, int maxRetries, long delayMillis, double multiplier, long maxDelayMillis,
				long jitterMillis, double random, long keyTtlSeconds, String queue, String className, String argsJson) {
			String numbers = maxRetries + " " + delayMillis + " " + multiplier + " " + maxDelayMillis + " "
					+ jitterMillis + " " + random + " " + keyTtlSeconds;
			return new Retry(key, numbers, queue, DelayedStore.item(queue, className, argsJson),
					JobPayload.render(className, argsJson));
		}

		/**
		 * @return the attempt-count key, without the namespace
		 */
		public String key() {
			return this.key;
		}

		/**
		 * @return the delayed item the retry writes,
		 * {@code {"class":..,"args":[..],"queue":..}}
		 */
		public String item() {
			return this.item;
		}

		String numbers() {
			return this.numbers;
		}

		String queue() {
			return this.queue;
		}

		String job() {
			return this.job;
		}

		/**
		 * @return what recording the outcome decided, or {@code null} before (or when an
		 * earlier, lost answer decided)
		 */
		public Decision decision() {
			return this.decision;
		}

		void decided(Decision decision) {
			this.decision = decision;
		}

	}

	/**
	 * What recording a failure with retries decided.
	 *
	 * @param retried whether the job went back through the delayed queue (else a failure
	 * entry was written)
	 * @param attempt which attempt failed, 1 for the first run
	 * @param bucket the delayed bucket (epoch second, Redis time) of the retry; 0 when
	 * not retried
	 */
	public record Decision(boolean retried, int attempt, long bucket) {
	}

	/** What happened to a job. */
	public enum Kind {

		/** Finished, or not performed on purpose. */
		SUCCEEDED("ok"),

		/** Its code raised an exception. */
		FAILED("fail"),

		/** It never finished. */
		DIRTY_EXIT("dirty"),

		/** It stopped at a checkpoint and goes back to the head of its queue. */
		REQUEUED_HEAD("head"),

		/** It stopped at a checkpoint and goes back to the tail of its queue. */
		REQUEUED_TAIL("tail");

		private final String scriptValue;

		Kind(String scriptValue) {
			this.scriptValue = scriptValue;
		}

		String scriptValue() {
			return this.scriptValue;
		}

	}

}
