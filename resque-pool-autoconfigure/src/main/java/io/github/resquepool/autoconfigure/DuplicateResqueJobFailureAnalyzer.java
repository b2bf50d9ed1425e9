package io.github.resquepool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.resquepool.job.DuplicateResqueJobException;

/**
 * Explains a {@link DuplicateResqueJobException}: two {@code @ResqueJob} methods claim
 * the same Resque class name.
 */
class DuplicateResqueJobFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateResqueJobException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DuplicateResqueJobException cause) {
		String description = "Two @ResqueJob handlers claim the Resque class \"" + cause.getName() + "\":\n  - "
				+ cause.getFirst() + "\n  - " + cause.getSecond();
		return new FailureAnalysis(description, "Give each handler its own Resque class name, or remove one of them.",
				cause);
	}

}
