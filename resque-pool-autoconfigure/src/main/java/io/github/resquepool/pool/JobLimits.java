package io.github.resquepool.pool;

import java.time.Duration;
import java.util.Map;

import io.github.resquepool.resque.QueueLimit;

/**
 * The limits of a job's run, of a worker's life and of the pool's heap.
 *
 * @param maxRunTime how long a checkpointing job runs before it stops at its next
 * checkpoint and goes back to the tail of its queue, or {@code null} for no limit (jobs
 * that never checkpoint are never cut by it)
 * @param maxJobsPerWorker how many jobs a worker thread runs before a fresh one replaces
 * it, 0 for no limit
 * @param cancelGrace how long a cancelled job has to end before it is handled as a stuck
 * job
 * @param memoryLimit the heap the pool may keep in use after a garbage collection, or
 * {@code null} for no limit
 * @param queueLimits the fleet-wide queue limits this pool is configured with
 */
public record JobLimits(Duration maxRunTime, int maxJobsPerWorker, Duration cancelGrace, MemoryLimit memoryLimit,
		Map<String, QueueLimit> queueLimits) {

	/** The default cancel grace: 10 seconds. */
	public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);

	/** No run time limit, no job limit, the default cancel grace. */
	public static final JobLimits NONE = new JobLimits(null, 0, DEFAULT_CANCEL_GRACE, null);

	/**
	 * Limits without queue limits.
	 * @param maxRunTime how long a checkpointing job runs, or {@code null}
	 * @param maxJobsPerWorker how many jobs a worker thread runs, 0 for no limit
	 * @param cancelGrace how long a cancelled job has to end
	 * @param memoryLimit the heap limit, or {@code null}
	 */
	public JobLimits(Duration maxRunTime, int maxJobsPerWorker, Duration cancelGrace, MemoryLimit memoryLimit) {
		this(maxRunTime, maxJobsPerWorker, cancelGrace, memoryLimit, Map.of());
	}

	/** Checks the limits. */
	public JobLimits {
		queueLimits = Map.copyOf(queueLimits);
		if (maxRunTime != null && (maxRunTime.isNegative() || maxRunTime.isZero())) {
			throw new IllegalArgumentException("max-run-time must be positive, not " + maxRunTime);
		}
		if (maxJobsPerWorker < 0) {
			throw new IllegalArgumentException("max-jobs-per-worker must be 1 or more, not " + maxJobsPerWorker);
		}
		if (cancelGrace == null || cancelGrace.isNegative()) {
			throw new IllegalArgumentException("cancel-grace must be zero or more, not " + cancelGrace);
		}
	}

}
