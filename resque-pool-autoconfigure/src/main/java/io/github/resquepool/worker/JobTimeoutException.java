package io.github.resquepool.worker;

import java.time.Duration;

/**
 * Recorded as a job's failure when it ran past its timeout and was interrupted.
 */
public class JobTimeoutException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param className the job's class name
	 * @param timeout the timeout it exceeded
	 */
	public JobTimeoutException(String className, Duration timeout) {
		super(className + " ran longer than its timeout of " + timeout.toString().substring(2).toLowerCase()
				+ " and was interrupted");
	}

}
