package io.github.resquepool.scheduler;

import java.time.Clock;
import java.util.Set;

import io.github.resquepool.resque.ResqueRedis;

/**
 * The recurring schedules the pool's scheduler fires while it is the master.
 */
public class RecurringSchedules {

	/** @return no schedules */
	static RecurringSchedules none() {
		return new RecurringSchedules();
	}

	void attach(ResqueRedis redis, MasterLock lock, SchedulerListener listener, Clock clock) {
	}

	void masterChanged(boolean master) {
	}

	/**
	 * Fires the schedules that are due.
	 * @param nowMillis the current time
	 * @return when the next firing is due
	 */
	long fireDue(long nowMillis) {
		return Long.MAX_VALUE;
	}

	/** @return the schedules' names */
	public Set<String> names() {
		return Set.of();
	}

}
