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
		super(className + " ran longer than its timeout of " + format(timeout) + " and was interrupted");
	}

	private static String format(Duration timeout) {
		long millis = timeout.toMillis();
		if (millis % 1000 != 0 || millis == 0) {
			return millis + "ms";
		}
		long seconds = millis / 1000;
		return (seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
	}

}
