package io.github.resquepool.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A {@code resque.pool.*} value the pool cannot run with: Spring Boot's
 * {@link InvalidConfigurationPropertyValueException} with the fix attached. Reported at
 * start-up by {@link InvalidResquePoolPropertyFailureAnalyzer} (with where the value came
 * from), and as the error of a refused reload.
 */
public class InvalidResquePoolPropertyException extends InvalidConfigurationPropertyValueException {

	private final String property;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the full property name
	 * @param value its value
	 * @param reason what is wrong
	 * @param action how to fix it
	 */
	public InvalidResquePoolPropertyException(String property, Object value, String reason, String action) {
		super(property, value, reason);
		this.property = property;
		this.action = action;
	}

	/**
	 * @return the full property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * @return how to fix it
	 */
	public String getAction() {
		return this.action;
	}

}
