package io.github.resquepool.job;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A payload names a Resque class that no {@link ResqueJob @ResqueJob} method handles. The
 * job fails; nothing is loaded by that name.
 */
public class UnknownJobException extends RuntimeException {

	private static final int MAX_LISTED = 20;

	private final String className;

	/**
	 * Creates an exception.
	 * @param className the class name from the payload
	 * @param known the names that have handlers
	 */
	public UnknownJobException(String className, Collection<String> known) {
		super("no @ResqueJob handler for class " + JsonText.quote(className) + "; known: " + list(known));
		this.className = className;
	}

	private static String list(Collection<String> known) {
		if (known.isEmpty()) {
			return "(none)";
		}
		String listed = known.stream().limit(MAX_LISTED).collect(Collectors.joining(", "));
		return (known.size() > MAX_LISTED) ? listed + ", ... (" + (known.size() - MAX_LISTED) + " more)" : listed;
	}

	/**
	 * Returns the class name from the payload.
	 * @return the class name
	 */
	public String getClassName() {
		return this.className;
	}

}
