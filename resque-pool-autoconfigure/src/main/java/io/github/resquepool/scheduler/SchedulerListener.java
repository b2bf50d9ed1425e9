package io.github.resquepool.scheduler;

import io.github.resquepool.resque.DelayedItem;

/**
 * Hears what the pool's scheduler does, for metrics and logs. Called on the scheduler's
 * thread; implementations must be quick and must not throw.
 */
public interface SchedulerListener {

	/**
	 * Delayed items reached their queues.
	 * @param count how many
	 */
	default void delayedMoved(int count) {
	}

	/**
	 * A delayed item could not be enqueued and went to Resque's {@code failed} list
	 * instead.
	 * @param item the item
	 */
	default void delayedFailed(DelayedItem item) {
	}

	/**
	 * A recurring schedule fired.
	 * @param name the schedule's name
	 */
	default void scheduleFired(String name) {
	}

	/**
	 * This scheduler took or lost the master lock.
	 * @param held whether it holds the lock now
	 */
	default void lockChanged(boolean held) {
	}

}
