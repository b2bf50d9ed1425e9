package io.github.resquepool.pool;

import io.github.resquepool.resque.QueueSpec;

/**
 * The desired shape of one group of workers.
 *
 * @param name the group's name
 * @param queues the queue list its workers take jobs from
 * @param count how many workers it should have
 */
public record GroupSettings(String name, QueueSpec queues, int count) {

	/**
	 * Validates the settings.
	 * @param name the group's name
	 * @param queues the queue list
	 * @param count the number of workers, at least 0
	 */
	public GroupSettings {
		if (count < 0) {
			throw new IllegalArgumentException("count must be 0 or more, was " + count);
		}
	}

	/**
	 * @param newCount another count
	 * @return these settings with that count
	 */
	public GroupSettings withCount(int newCount) {
		return new GroupSettings(this.name, this.queues, newCount);
	}

}
