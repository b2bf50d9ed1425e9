package io.github.resquepool.resque;

/**
 * Thrown when Redis cannot be reached or does not answer in time. Nothing is lost when it
 * is thrown: every job that was taken is still recorded in Redis.
 * <p>
 * For a write, such as an enqueue outside a transaction, {@link #mayHaveBeenWritten()}
 * tells whether Redis may have run it: {@code true} when the command was sent and its
 * answer did not come (a timeout, a connection lost while it was on its way), so the job
 * may be in Redis; {@code false} when it certainly was not (no connection could be
 * opened, the connection is closed, or Redis refused to serve, as
 * {@link RedisRefusedException}). A caller may enqueue again at once when it is
 * {@code false}; when it is {@code true} an enqueue again may make a second copy.
 */
public class ResqueRedisException extends RuntimeException {

	private final boolean mayHaveBeenWritten;

	/**
	 * Creates an exception for a command that may have run.
	 * @param message what failed
	 * @param cause the cause
	 */
	public ResqueRedisException(String message, Throwable cause) {
		this(message, cause, true);
	}

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param cause the cause
	 * @param mayHaveBeenWritten whether Redis may have run the command (it was sent and
	 * its answer did not come), {@code false} when it certainly did not
	 */
	public ResqueRedisException(String message, Throwable cause, boolean mayHaveBeenWritten) {
		super(message, cause);
		this.mayHaveBeenWritten = mayHaveBeenWritten;
	}

	/**
	 * Whether Redis may have run the failed command: {@code true} after a timeout or a
	 * connection lost while the command was on its way (the job of an enqueue may be in
	 * Redis, and may be run); {@code false} when it certainly did not (not connected, or
	 * refused).
	 * @return whether the command may have been written
	 */
	public boolean mayHaveBeenWritten() {
		return this.mayHaveBeenWritten;
	}

}
