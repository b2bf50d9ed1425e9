package io.github.resquepool.pool;

import java.time.Duration;

/**
 * What a {@link GroupWaiter} sees of its group: whether anyone waits for a job, how to
 * wake one, and whether the woken worker fetched.
 */
interface IdleGroup {

	/**
	 * @return the group's name
	 */
	String name();

	/**
	 * @return whether a worker of the group waits for a job
	 */
	boolean hasIdleWorkers();

	/**
	 * @return whether the group or its pool is paused, so that waking is pointless
	 */
	boolean pausedForWaiting();

	/**
	 * @return how many fetches of its workers ended so far
	 */
	long fetches();

	/**
	 * @return how many jobs its workers took so far
	 */
	long jobsTaken();

	/**
	 * Wakes one idle worker, or remembers the wake-up for the next worker that turns
	 * idle.
	 */
	void wakeOne();

	/**
	 * @return the pool's poll interval
	 */
	Duration pollInterval();

}
