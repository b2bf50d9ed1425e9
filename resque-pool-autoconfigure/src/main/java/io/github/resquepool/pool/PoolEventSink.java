package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.resquepool.job.JobResult;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

/**
 * Where the pool's parts tell what happened: one sink that publishes the
 * {@link ResquePoolEvent}s and calls the {@link PoolListener}s, on the thread that made
 * the change.
 */
interface PoolEventSink {

	void workerStarted(String group, String workerId);

	void workerExited(String group, String workerId, Throwable crash);

	void workerStateChanged(String group, String workerId, WorkerState previous, WorkerState state);

	void jobFinished(String group, RunningJob job, JobResult result, Duration duration);

	void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt, Duration duration);

	void paused(String group);

	void resumed(String group);

	void scaled(String group, int from, int to);

	void reloaded(List<String> changes);

}
