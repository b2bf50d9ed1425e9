package io.github.resquepool.pool;

import java.time.Duration;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

/**
 * Observes the pool's jobs and workers: Ruby Resque's worker hooks
 * ({@code before_first_fork}, {@code before_pause}/{@code after_pause},
 * {@code worker_exit}) as callbacks of a bean, and what the metrics integration reads.
 * Every callback runs synchronously on the thread that made the change (mostly the
 * worker's own), so implementations must be fast and must not throw. For job hooks see
 * {@link io.github.resquepool.job.JobInterceptor}.
 */
public interface PoolListener {

	/**
	 * A worker was registered in Redis and its thread started.
	 * @param group its group
	 * @param workerId its id
	 */
	default void workerStarted(String group, String workerId) {
	}

	/**
	 * A worker stopped taking jobs because its group, the pool or
	 * {@code pause-all-workers} is paused (after its running job finished).
	 * @param group its group
	 * @param workerId its id
	 */
	default void workerPaused(String group, String workerId) {
	}

	/**
	 * A paused worker takes jobs again.
	 * @param group its group
	 * @param workerId its id
	 */
	default void workerResumed(String group, String workerId) {
	}

	/**
	 * A job finished.
	 * @param group the worker's group
	 * @param job the job
	 * @param result its outcome
	 * @param duration how long it ran
	 */
	default void jobFinished(String group, RunningJob job, JobResult result, Duration duration) {
	}

	/**
	 * A job with retries failed and went back through the delayed queue: not a failure
	 * entry, and not {@link #jobFinished}.
	 * @param group the worker's group
	 * @param job the job
	 * @param error why it failed
	 * @param attempt which attempt failed, 1 for the first run
	 * @param retryAt when the retry is due
	 * @param duration how long it ran
	 */
	default void jobRetried(String group, RunningJob job, Throwable error, int attempt, java.time.Instant retryAt,
			Duration duration) {
	}

	/**
	 * A job stopped at a checkpoint and went back to its queue with its cursor, to resume
	 * there: neither processed nor failed, and not {@link #jobFinished}.
	 * @param group the worker's group
	 * @param job the job
	 * @param interrupt why it stopped (the pool is stopping, or it ran past
	 * {@code max-run-time})
	 * @param duration how long it ran
	 */
	default void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration) {
	}

	/**
	 * A job was held back by a fleet-wide limit that had no room: it waits off its queue,
	 * neither run nor counted, and goes back to its queue when the limit has room.
	 * @param group the worker's group
	 * @param job the job
	 * @param limit the limit's id
	 * @param reason {@code concurrency} or {@code rate}
	 */
	default void jobBlocked(String group, RunningJob job, String limit, String reason) {
	}

	/**
	 * A worker changed state.
	 * @param group its group
	 * @param workerId its id
	 * @param state the new state
	 */
	default void workerStateChanged(String group, String workerId, WorkerState state) {
	}

	/**
	 * A worker's thread ended and the worker was unregistered (Ruby's
	 * {@code worker_exit}).
	 * @param group its group
	 * @param workerId its id
	 * @param crash what ended it abnormally, or {@code null}
	 */
	default void workerExited(String group, String workerId, Throwable crash) {
	}

}
