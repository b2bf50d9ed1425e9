package io.github.resquepool.resque;

/**
 * Redis is reachable but refuses to serve for now: it loads its data set
 * ({@code LOADING}), runs a slow script ({@code BUSY}), is a replica after a failover
 * ({@code READONLY}), is out of memory ({@code OOM}), and so on. The pool treats it as an
 * outage: it waits and tries again, and its health is {@code DOWN} meanwhile; no worker
 * dies of it. Redis did not run the refused command: {@link #mayHaveBeenWritten()} is
 * {@code false}.
 */
public class RedisRefusedException extends ResqueRedisException {

	private final String code;

	/**
	 * Creates the exception.
	 * @param code the error code Redis answered, such as {@code LOADING}
	 * @param message the whole answer
	 * @param cause the client's exception
	 */
	public RedisRefusedException(String code, String message, Throwable cause) {
		super("Redis refused to serve: " + message, cause, false);
		this.code = code;
	}

	/**
	 * @return the error code Redis answered, such as {@code LOADING} or {@code OOM}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * @return whether the connection is on the wrong server and must be opened again
	 */
	boolean needsNewConnection() {
		return this.code.equals("READONLY") || this.code.equals("MASTERDOWN");
	}

}
