package io.github.resquepool.resque;

/**
 * Thrown when Redis cannot be reached or does not answer in time. Nothing is lost when it
 * is thrown: every job that was taken is still recorded in Redis.
 */
public class ResqueRedisException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param cause the cause
	 */
	public ResqueRedisException(String message, Throwable cause) {
		super(message, cause);
	}

}
