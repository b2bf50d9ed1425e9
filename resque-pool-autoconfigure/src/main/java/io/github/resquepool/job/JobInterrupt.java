package io.github.resquepool.job;

/**
 * Thrown by {@link JobContext#checkpoint(Object)}, after the cursor was saved, when the
 * job must stop there: the pool is stopping (or this worker is retired), the job ran past
 * {@code resque.pool.max-run-time}, or it was cancelled. The pool recognises it wherever
 * it surfaces (interceptors may wrap it): a stopped job goes back to its queue with its
 * cursor, neither processed nor failed, and a cancelled one becomes a
 * {@code ResquePool::JobCancelled} failure entry. A handler may catch it to clean up, but
 * should throw it again.
 */
public class JobInterrupt extends RuntimeException {

	private final Reason reason;

	/**
	 * Creates the interrupt.
	 * @param reason why the job stops
	 * @param message what happened, for logs
	 */
	public JobInterrupt(Reason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	/**
	 * @return why the job stops
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Finds the interrupt in a failure and its causes.
	 * @param error what a job threw, or {@code null}
	 * @return the interrupt, or {@code null} when there is none
	 */
	public static JobInterrupt in(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof JobInterrupt interrupt) {
				return interrupt;
			}
		}
		return null;
	}

	/** Why a job stops at its checkpoint. */
	public enum Reason {

		/**
		 * The pool is stopping, or this worker leaves (a scale-down, a reload): the job
		 * goes back to the head of its queue.
		 */
		STOPPING,

		/**
		 * It ran past {@code resque.pool.max-run-time}: it goes back to the tail of its
		 * queue, so that others get a turn.
		 */
		MAX_RUN_TIME,

		/** It was cancelled: a failure entry, never retried automatically. */
		CANCELLED,

		/**
		 * The pool took the job away from its worker (a cut-off at a stop, a stuck job):
		 * what it does now is no longer recorded.
		 */
		TAKEN_AWAY

	}

}
