package io.github.resquepool.autoconfigure;

/**
 * A {@code resque.pool.*} value the pool cannot run with. Reported at start-up by
 * {@link InvalidResquePoolPropertyFailureAnalyzer}, and as the error of a refused reload.
 */
public class InvalidResquePoolPropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final String reason;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the full property name
	 * @param value its value
	 * @param reason what is wrong
	 * @param action how to fix it
	 */
	public InvalidResquePoolPropertyException(String property, Object value, String reason, String action) {
		super(property + "=" + value + ": " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/** @return the full property name */
	public String getProperty() {
		return this.property;
	}

	/** @return the rejected value */
	public Object getValue() {
		return this.value;
	}

	/** @return what is wrong */
	public String getReason() {
		return this.reason;
	}

	/** @return how to fix it */
	public String getAction() {
		return this.action;
	}

}
