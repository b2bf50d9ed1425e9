package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.worker.WorkerState;

/**
 * An immutable snapshot of the pool, taken by {@link ResquePool#status()}.
 *
 * @param poolId the pool's id in Redis
 * @param requested the state operators asked for
 * @param state the effective state
 * @param groups the groups
 * @param workers every worker
 * @param processed jobs finished since the pool started
 * @param failed jobs failed since the pool started
 * @param redisUp whether the last Redis command succeeded
 * @param lastReloadError the error of the last reload that was refused, or {@code null}
 * @param fleetOverrides the fleet overrides this pool runs under, in words (who set what,
 * when)
 */
public record PoolStatus(String poolId, State requested, State state, List<Group> groups, List<WorkerInfo> workers,
		long processed, long failed, boolean redisUp, String lastReloadError, List<String> fleetOverrides) {

	/** The state of the pool or of a group. */
	public enum State {

		/** Not started, or stopped. */
		STOPPED,

		/** Taking jobs. */
		RUNNING,

		/** Paused, with jobs still finishing. */
		PAUSING,

		/** Paused: no job runs and none is taken. */
		PAUSED,

		/** Stopping: no job is taken, running ones finish. */
		STOPPING

	}

	/**
	 * One group.
	 *
	 * @param name its name
	 * @param queues its queue list as configured
	 * @param count the desired number of workers
	 * @param live the workers that run and stay
	 * @param requested the state asked for
	 * @param state the effective state
	 * @param backoff the wait before a crashed worker is replaced, zero when none
	 * @param crashes crashes counted in a row
	 * @param stuck threads whose job ignored its timeout's interrupt and still runs
	 * @param stuckLimitExceeded whether there are more of them than
	 * {@code max-stuck-workers}, so that the group gets no replacements
	 */
	public record Group(String name, String queues, int count, int live, State requested, State state, Duration backoff,
			int crashes, int stuck, boolean stuckLimitExceeded) {
	}

	/**
	 * One worker.
	 *
	 * @param id its id, exactly as registered in Redis
	 * @param group its group
	 * @param state what it does
	 * @param job the job it runs, or {@code null}
	 * @param timeoutStack its thread's stack when its last job ran past its timeout, or
	 * {@code null}
	 */
	public record WorkerInfo(String id, String group, WorkerState state, Job job, String timeoutStack) {
	}

	/**
	 * A running job.
	 *
	 * @param className the Resque class name
	 * @param queue the queue it came from
	 * @param runAt when it was taken
	 * @param runningFor how long it has run
	 * @param payload the payload text
	 * @param cursor the last cursor the job saved or resumed from, as JSON, or
	 * {@code null}
	 * @param cursorSavedAt when that cursor was saved, or {@code null}
	 * @param progress the last progress it reported, or {@code null}
	 * @param cancelledBy who cancelled it, or {@code null} when it was not cancelled
	 */
	public record Job(String className, String queue, Instant runAt, Duration runningFor, String payload, String cursor,
			Instant cursorSavedAt, Checkpoint.Progress progress, String cancelledBy) {

		/**
		 * Creates a job that saved nothing and was not cancelled.
		 * @param className the Resque class name
		 * @param queue the queue it came from
		 * @param runAt when it was taken
		 * @param runningFor how long it has run
		 * @param payload the payload text
		 */
		public Job(String className, String queue, Instant runAt, Duration runningFor, String payload) {
			this(className, queue, runAt, runningFor, payload, null, null, null, null);
		}

	}

}
