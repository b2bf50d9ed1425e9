package io.github.resquepool.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.resquepool.scheduler.InvalidScheduleException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up report for an invalid {@code resque.scheduler.schedules.<name>} entry.
 */
class InvalidScheduleFailureAnalyzerTests {

	@Test
	void theReportNamesTheEntryTheReasonAndTheFix() {
		InvalidScheduleException cause = new InvalidScheduleException("nightly",
				"cron 'every day at 3': not a cron line");
		FailureAnalysis analysis = new InvalidScheduleFailureAnalyzer().analyze(new IllegalStateException(cause));
		assertThat(analysis.getDescription()).contains("resque.scheduler.schedules.nightly").contains("every day at 3");
		assertThat(analysis.getAction()).contains("resque.scheduler.schedules.nightly").contains("fugit");
	}

}
