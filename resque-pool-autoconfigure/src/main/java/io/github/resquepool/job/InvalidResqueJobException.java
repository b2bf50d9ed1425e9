package io.github.resquepool.job;

/**
 * A {@link ResqueJob @ResqueJob} method that cannot serve as a handler, e.g. because it
 * is private or its timeout cannot be parsed. Thrown while the bean is created, so the
 * application does not start.
 */
public class InvalidResqueJobException extends RuntimeException {

	private final String source;

	private final String reason;

	/**
	 * Creates an exception.
	 * @param source the method, e.g. {@code com.acme.Mailer#welcome(long, String)}
	 * @param reason why it cannot be a handler
	 */
	public InvalidResqueJobException(String source, String reason) {
		this(source, reason, null);
	}

	/**
	 * Creates an exception.
	 * @param source the method, e.g. {@code com.acme.Mailer#welcome(long, String)}
	 * @param reason why it cannot be a handler
	 * @param cause the underlying error, or {@code null}
	 */
	public InvalidResqueJobException(String source, String reason, Throwable cause) {
		super("Invalid @ResqueJob method " + source + ": " + reason, cause);
		this.source = source;
		this.reason = reason;
	}

	/**
	 * Returns the method, e.g. {@code com.acme.Mailer#welcome(long, String)}.
	 * @return the source
	 */
	public String getSource() {
		return this.source;
	}

	/**
	 * Returns why the method cannot be a handler.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
