package io.github.resquepool.worker;

import java.time.Instant;
import java.util.List;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.ResqueRedisException;

/**
 * What a worker asks of the pool that runs it. The pool's worker group implements it.
 */
public interface WorkerSupervisor {

	/**
	 * @param worker the asking worker
	 * @return whether it should take another job; {@code false} once it is asked to leave
	 */
	boolean keepRunning(Worker worker);

	/**
	 * @param worker the asking worker
	 * @return whether its group or the pool is paused
	 */
	boolean isPaused(Worker worker);

	/**
	 * Parks an idle or paused worker until it is woken (an enqueue, the group's poll
	 * tick, a resume, a stop). Never polls Redis itself.
	 * @param worker the waiting worker
	 * @throws InterruptedException when the thread is interrupted
	 */
	void awaitWork(Worker worker) throws InterruptedException;

	/**
	 * Waits, like {@link #awaitWork(Worker)}, until the pool has registered its workers
	 * again after Redis lost its records; the pool wakes the worker then.
	 * @param worker the worker
	 * @throws InterruptedException when interrupted
	 */
	void awaitRegistration(Worker worker) throws InterruptedException;

	/**
	 * Tells that a worker took a job, so one idle sibling should look for the next.
	 * @param worker the worker
	 */
	void tookJob(Worker worker);

	/**
	 * Waits before a worker tries Redis again after a failure (capped backoff).
	 * @param worker the worker
	 * @param error the failure
	 * @param attempt how many attempts have failed in a row
	 * @throws InterruptedException when the thread is interrupted
	 */
	void redisUnavailable(Worker worker, ResqueRedisException error, int attempt) throws InterruptedException;

	/**
	 * Tells that a job finished (before its outcome is recorded in Redis).
	 * @param worker the worker
	 * @param job the job
	 * @param result what happened
	 */
	void jobFinished(Worker worker, RunningJob job, JobResult result);

	/**
	 * Tells that a job with retries failed and went back through the delayed queue
	 * instead of becoming a failure entry (after its outcome was recorded in Redis).
	 * @param worker the worker
	 * @param job the job
	 * @param error why it failed
	 * @param attempt which attempt failed, 1 for the first run
	 * @param retryAt when the retry is due (its delayed bucket)
	 */
	default void jobRetried(Worker worker, RunningJob job, Throwable error, int attempt, Instant retryAt) {
		jobFinished(worker, job, JobResult.failed(error));
	}

	/**
	 * Tells that a job stopped at a checkpoint and went back to its queue, neither
	 * processed nor failed (before its outcome is recorded in Redis).
	 * @param worker the worker
	 * @param job the job
	 * @param interrupt why it stopped
	 */
	default void jobRequeued(Worker worker, RunningJob job, JobInterrupt interrupt) {
	}

	/**
	 * Tells that a job was held back by a fleet-wide limit that had no room: it waits in
	 * that limit's list, off its queue, neither run nor counted, and goes back to its
	 * queue when the limit has room.
	 * @param worker the worker that took it
	 * @param job the job
	 * @param limit the limit's id
	 * @param reason {@code concurrency} or {@code rate}
	 */
	default void jobBlocked(Worker worker, RunningJob job, String limit, String reason) {
	}

	/**
	 * Tells that a worker found queue keys holding something other than a list, which it
	 * skips.
	 * @param worker the worker
	 * @param queues the queue names
	 */
	void unreadableQueues(Worker worker, List<String> queues);

	/**
	 * Tells that a worker changed state.
	 * @param worker the worker
	 * @param previous the state before
	 * @param state the new state
	 */
	void stateChanged(Worker worker, WorkerState previous, WorkerState state);

}
