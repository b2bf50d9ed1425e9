package io.github.resquepool.scheduler;

/**
 * A recurring schedule entry that cannot run, or that would stop a Ruby scheduler if it
 * were published.
 */
public class InvalidScheduleException extends RuntimeException {

	private final String name;

	/**
	 * Creates an exception.
	 * @param name the entry's name
	 * @param reason what is wrong with it
	 */
	public InvalidScheduleException(String name, String reason) {
		super("Recurring schedule '" + name + "' is invalid: " + reason);
		this.name = name;
	}

	/**
	 * @return the entry's name
	 */
	public String getName() {
		return this.name;
	}

}
