package io.github.resquepool.scheduler;

import java.time.Instant;
import java.util.Set;

/**
 * The pool scheduler's state as read from Redis.
 *
 * @param master whether this scheduler holds the master lock
 * @param lockValue this scheduler's lock value
 * @param holder the lock's current value (this or another scheduler, Java or Ruby), or
 * {@code null} when nobody holds it
 * @param delayedBuckets how many seconds have delayed items
 * @param delayedItems how many delayed items there are
 * @param nextDue the second of the earliest bucket, or {@code null} when there is none
 * @param schedules the names of the recurring schedules this scheduler runs
 */
public record SchedulerStatus(boolean master, String lockValue, String holder, long delayedBuckets, long delayedItems,
		Instant nextDue, Set<String> schedules) {

}
