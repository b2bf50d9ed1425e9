package io.github.resquepool.scheduler;

import java.time.Duration;

/**
 * How the pool's scheduler runs.
 *
 * @param pollInterval how often the master lock is taken or renewed and the delayed
 * queue's earliest bucket is read (the upper bound on the lateness of an item a Ruby
 * process adds)
 * @param lockTimeout the master lock's TTL, resque-scheduler's {@code LOCK_TIMEOUT}
 * @param lockPrefix resque-scheduler's {@code RESQUE_SCHEDULER_MASTER_LOCK_PREFIX}, empty
 * for none
 * @param batchSize the most items moved from a bucket in one atomic step,
 * resque-scheduler's {@code DELAYED_REQUEUE_BATCH_SIZE}
 * @param hostname the host part of the lock value, or {@code null} for the system's host
 * name
 */
public record SchedulerSettings(Duration pollInterval, Duration lockTimeout, String lockPrefix, int batchSize,
		String hostname) {

	/** Checks the settings. */
	public SchedulerSettings {
		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("the poll interval must be positive");
		}
		if (lockTimeout.toSeconds() < 1 || lockTimeout.compareTo(pollInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("the lock timeout must be at least 1 s and twice the poll interval");
		}
		if (batchSize < 1) {
			throw new IllegalArgumentException("the batch size must be positive");
		}
		lockPrefix = (lockPrefix != null) ? lockPrefix : "";
	}

}
