package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

/**
 * Where the pool's parts tell what happened: one sink that publishes the
 * {@link ResquePoolEvent}s and calls the {@link PoolListener}s, on the thread that made
 * the change ({@link PoolEvents}). Handed to the pool from outside, so that nothing the
 * pool is made of names the events, which name the pool.
 */
public interface PoolEventSink {

	/** A worker registered in Redis and its thread started. */
	void workerStarted(String group, String workerId);

	/**
	 * A worker's thread ended, normally or ({@code crash} not {@code null}) by a crash.
	 */
	void workerExited(String group, String workerId, Throwable crash);

	/** A worker went from one state to another. */
	void workerStateChanged(String group, String workerId, WorkerState previous, WorkerState state);

	/** A job ended with an outcome. */
	void jobFinished(String group, RunningJob job, JobResult result, Duration duration);

	/** A job failed and was scheduled again. */
	void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt, Duration duration);

	/** A job stopped at a checkpoint and went back to its queue. */
	void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration);

	/** A job was held back by a fleet-wide limit without room. */
	void jobBlocked(String group, RunningJob job, String limit, String reason);

	/**
	 * The heap after garbage collections stayed above the memory limit for its grace: the
	 * pool drains and its application exits.
	 */
	void memoryLimitExceeded(long usedBytes, long limitBytes, String reason);

	/** The pool ({@code group} {@code null}) or a group was paused. */
	void paused(String group);

	/** The pool ({@code group} {@code null}) or a group was resumed. */
	void resumed(String group);

	/** A group's count changed. */
	void scaled(String group, int from, int to);

	/** The configuration was reloaded, with what changed. */
	void reloaded(List<String> changes);

}
