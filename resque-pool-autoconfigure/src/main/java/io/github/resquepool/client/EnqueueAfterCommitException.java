package io.github.resquepool.client;

import java.util.List;

import io.github.resquepool.resque.ResqueRedisException;

/**
 * Thrown from the commit of a transaction when enqueues deferred to that commit (with
 * {@code enqueue-after-commit} and without the outbox) failed: <b>the transaction
 * committed</b>, every enqueue of it was attempted, and the jobs listed here were not
 * enqueued (or, when {@link #mayHaveBeenWritten()}, may not have been). Each failure was
 * also logged at error level with the job's class and queue.
 * <p>
 * Spring lets it out of {@code commit()} (or {@code TransactionTemplate.execute}, or the
 * {@code @Transactional} method), but the data is committed: do not treat it as a
 * rollback. With the transactional outbox on ({@code resque.pool.client.outbox.enabled})
 * such enqueues are rows of the transaction and are delivered until Redis takes them.
 */
public class EnqueueAfterCommitException extends ResqueRedisException {

	private final transient List<NotEnqueued> jobs;

	private final int attempted;

	/**
	 * Creates the exception.
	 * @param jobs the enqueues that failed, in the order they were made
	 * @param attempted how many enqueues the transaction deferred to its commit
	 */
	public EnqueueAfterCommitException(List<NotEnqueued> jobs, int attempted) {
		super(message(jobs, attempted), jobs.get(0).cause(), jobs.stream()
			.anyMatch((job) -> !(job.cause() instanceof ResqueRedisException redis) || redis.mayHaveBeenWritten()));
		this.jobs = List.copyOf(jobs);
		this.attempted = attempted;
		jobs.stream().skip(1).forEach((job) -> addSuppressed(job.cause()));
	}

	private static String message(List<NotEnqueued> jobs, int attempted) {
		StringBuilder message = new StringBuilder("The transaction committed, but ").append(jobs.size())
			.append(" of its ")
			.append(attempted)
			.append(" enqueues after the commit failed: ");
		for (int i = 0; i < jobs.size(); i++) {
			NotEnqueued job = jobs.get(i);
			message.append((i > 0) ? "; " : "")
				.append(job.className())
				.append(" on queue ")
				.append(job.queue())
				.append(" (")
				.append(job.cause().getMessage())
				.append(')');
		}
		return message.toString();
	}

	/**
	 * @return the enqueues that failed, in the order the transaction made them
	 */
	public List<NotEnqueued> jobs() {
		return this.jobs;
	}

	/**
	 * @return how many enqueues the transaction deferred to its commit, those that went
	 * through included
	 */
	public int attempted() {
		return this.attempted;
	}

	/**
	 * One enqueue of a committed transaction that failed.
	 *
	 * @param queue the job's queue
	 * @param className the job's Resque class
	 * @param cause why it failed; a {@link ResqueRedisException} tells whether the job
	 * may have been written nonetheless
	 */
	public record NotEnqueued(String queue, String className, RuntimeException cause) {
	}

}
