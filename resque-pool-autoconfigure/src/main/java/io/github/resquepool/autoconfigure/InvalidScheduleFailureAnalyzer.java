package io.github.resquepool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.resquepool.scheduler.InvalidScheduleException;

/**
 * Explains an {@link InvalidScheduleException}: a
 * {@code resque.scheduler.schedules.<name>} entry that cannot run, or that would stop a
 * Ruby scheduler once published.
 */
class InvalidScheduleFailureAnalyzer extends AbstractFailureAnalyzer<InvalidScheduleException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidScheduleException cause) {
		String description = "Invalid recurring schedule:\n\n    Property: resque.scheduler.schedules."
				+ cause.getName() + "\n    Reason: " + cause.getMessage();
		String action = "Fix resque.scheduler.schedules." + cause.getName() + ": it needs class and queue, and either"
				+ " a cron line as fugit reads it (5 fields, or 6 with seconds first, an optional time zone, or a macro"
				+ " such as @hourly) or an every interval (\"30s\", \"1h30m\", \"P1D\"); args is a JSON array or a"
				+ " YAML list.";
		return new FailureAnalysis(description, action, cause);
	}

}
