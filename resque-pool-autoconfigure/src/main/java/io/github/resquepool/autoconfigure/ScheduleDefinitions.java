package io.github.resquepool.autoconfigure;

import io.github.resquepool.scheduler.RecurringSchedules;

/**
 * Turns {@code resque.scheduler.schedules.*} into the scheduler's recurring schedules.
 */
final class ScheduleDefinitions {

	private ScheduleDefinitions() {
	}

	static RecurringSchedules create(ResqueSchedulerProperties properties) {
		return new RecurringSchedules();
	}

}
