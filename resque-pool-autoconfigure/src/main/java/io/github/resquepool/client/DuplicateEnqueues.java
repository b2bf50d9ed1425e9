package io.github.resquepool.client;

/**
 * Told of each enqueue of a {@link io.github.resquepool.job.ResqueUnique unique} job that
 * {@link ResqueClient} did not make because an identical job is enqueued, delayed or
 * running. {@code io.github.resquepool.metrics.ResqueDuplicateMetrics} counts them as
 * {@code resque.jobs} with {@code outcome=duplicate}.
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

}
