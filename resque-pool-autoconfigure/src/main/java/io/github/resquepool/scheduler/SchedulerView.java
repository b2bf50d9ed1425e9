package io.github.resquepool.scheduler;

import java.time.Instant;

/**
 * What the scheduler's own loop last saw, kept in memory so that the {@code resquepool}
 * endpoint and health make no Redis call: the lock and its holder at every lock check,
 * the delayed queue's size and next bucket at most every
 * {@link ResqueScheduler#VIEW_INTERVAL} (and the next bucket after every pass as master).
 *
 * @param master whether this JVM held resque-scheduler's master lock at its last check
 * @param lockValue this scheduler's lock value, {@code <host>:<pid>}
 * @param holder the lock's value as last read (this scheduler, another pool, or a Ruby
 * scheduler), or {@code null} when nobody held it or it was not read yet
 * @param delayedItems how many delayed items there were, or {@code -1} before the first
 * read
 * @param nextDue when the earliest delayed bucket is (or was) due, or {@code null} when
 * there is none
 * @param checkedAt when the delayed queue was last read, or {@code null} before the first
 * read
 */
public record SchedulerView(boolean master, String lockValue, String holder, long delayedItems, Instant nextDue,
		Instant checkedAt) {

}
