package io.github.resquepool.pool;

import java.time.Duration;

import io.github.resquepool.job.JobResult;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

/**
 * Observes the pool's jobs and workers, synchronously on the worker threads; used by the
 * metrics integration. Implementations must be fast and must not throw.
 */
public interface PoolListener {

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
	 * A worker changed state.
	 * @param group its group
	 * @param workerId its id
	 * @param state the new state
	 */
	default void workerStateChanged(String group, String workerId, WorkerState state) {
	}

	/**
	 * A worker's thread ended.
	 * @param group its group
	 * @param workerId its id
	 * @param crash what ended it abnormally, or {@code null}
	 */
	default void workerExited(String group, String workerId, Throwable crash) {
	}

}
