package io.github.resquepool.client;

/**
 * Told of each enqueue of a {@link io.github.resquepool.job.ResqueUnique unique} job that
 * {@link ResqueClient} did not make because an identical job is enqueued, delayed or
 * running. {@code io.github.resquepool.metrics.ResqueDuplicateMetrics} counts them as
 * {@code resque.jobs} with {@code outcome=duplicate}. Also told of each enqueue that
 * failed after the commit of its transaction.
 */
@FunctionalInterface
public interface DuplicateEnqueues {

	/**
	 * An enqueue was not made: called on the thread that made it (after the commit, for
	 * one that waited for its transaction).
	 * @param queue the queue
	 * @param className the Resque class name
	 */
	void duplicate(String queue, String className);

	/**
	 * An enqueue that waited for the commit of its transaction failed after the commit
	 * (without the outbox): the transaction committed and the job was not enqueued.
	 * Called on the thread that committed, before the {@link EnqueueAfterCommitException}
	 * is thrown. {@code io.github.resquepool.metrics.ResqueDuplicateMetrics} counts them
	 * as {@code resque.enqueue.failed}.
	 * @param queue the queue
	 * @param className the Resque class name
	 */
	default void failedAfterCommit(String queue, String className) {
	}

}
