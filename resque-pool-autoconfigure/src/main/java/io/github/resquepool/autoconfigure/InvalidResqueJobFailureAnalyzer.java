package io.github.resquepool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.resquepool.job.InvalidResqueJobException;

/**
 * Explains an {@link InvalidResqueJobException}: a {@code @ResqueJob} method that cannot
 * serve as a job handler.
 */
class InvalidResqueJobFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResqueJobException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidResqueJobException cause) {
		String description = "The @ResqueJob method " + cause.getSource() + " cannot handle Resque jobs:\n  "
				+ cause.getReason();
		String action = "Fix the method, or remove its @ResqueJob annotation. A handler needs a non-blank Resque "
				+ "class name, a timeout that is empty or a duration that is not negative (\"30s\", \"2m\", "
				+ "\"500ms\", \"PT30S\"), at most one JobContext parameter, and a method that is not private "
				+ "(and not final when the bean is proxied). A @ResqueUnique method must also be a @ResqueJob "
				+ "method, with a key that is empty or a SpEL expression (\"#p0\", \"#account\") and a positive "
				+ "ttl (\"1h\").";
		return new FailureAnalysis(description, action, cause);
	}

}
