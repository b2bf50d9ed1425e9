package io.github.resquepool.resque;

/**
 * Redis answered a command with an error that is neither an outage nor a refusal to
 * serve: a script error, a wrong argument. Redis itself is fine; the pool logs it and
 * tries again later rather than letting a worker die of it.
 */
public class RedisCommandException extends ResqueRedisException {

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the client's exception
	 */
	public RedisCommandException(String message, Throwable cause) {
		super(message, cause);
	}

}
