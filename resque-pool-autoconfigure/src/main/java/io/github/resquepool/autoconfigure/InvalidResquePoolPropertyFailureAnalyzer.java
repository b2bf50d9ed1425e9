package io.github.resquepool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code resque.pool.*} value into Boot's "APPLICATION FAILED TO START" report
 * that names the property, the value and the fix.
 */
class InvalidResquePoolPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResquePoolPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidResquePoolPropertyException cause) {
		String description = "Invalid resque-pool configuration:\n\n    Property: " + cause.getProperty()
				+ "\n    Value: \"" + cause.getValue() + "\"\n    Reason: " + cause.getReason();
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
