package io.github.resquepool.job;

/**
 * A payload's {@code args} that do not fit the parameters of its handler: the job fails
 * with a message that names the job, the argument and the JSON value.
 */
public class JobArgumentException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what does not fit, for operators
	 */
	public JobArgumentException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what does not fit, for operators
	 * @param cause the underlying conversion error
	 */
	public JobArgumentException(String message, Throwable cause) {
		super(message, cause);
	}

}
