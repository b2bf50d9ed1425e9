package io.github.resquepool.job;

/**
 * Two {@link ResqueJob @ResqueJob} methods claim the same Resque class name, so a payload
 * would not say which one runs.
 */
public class DuplicateResqueJobException extends RuntimeException {

	private final String name;

	private final String first;

	private final String second;

	/**
	 * Creates an exception.
	 * @param name the Resque class name both claim
	 * @param first the source of the handler registered first
	 * @param second the source of the handler registered second
	 */
	public DuplicateResqueJobException(String name, String first, String second) {
		super("Two @ResqueJob handlers claim the Resque class \"" + name + "\": " + first + " and " + second);
		this.name = name;
		this.first = first;
		this.second = second;
	}

	/**
	 * Returns the Resque class name both handlers claim.
	 * @return the class name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Returns the source of the handler registered first, e.g.
	 * {@code com.acme.Mailer#welcome(long, String)}.
	 * @return the first source
	 */
	public String getFirst() {
		return this.first;
	}

	/**
	 * Returns the source of the handler registered second.
	 * @return the second source
	 */
	public String getSecond() {
		return this.second;
	}

}
