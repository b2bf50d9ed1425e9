package io.github.resquepool.job;

/**
 * An ActiveJob argument that Java cannot read: an {@code _aj_serialized} object of a Ruby
 * serializer other than ActiveJob's own
 * ({@code {"_aj_serialized":"MoneySerializer",...}}). The job fails with a message that
 * names the serializer.
 */
public class UnsupportedActiveJobArgumentException extends JobArgumentException {

	private final String serializer;

	/**
	 * Creates an exception.
	 * @param message what cannot be read, for operators
	 * @param serializer the Ruby serializer's class name
	 */
	public UnsupportedActiveJobArgumentException(String message, String serializer) {
		super(message);
		this.serializer = serializer;
	}

	/**
	 * Returns the Ruby serializer that wrote the argument.
	 * @return its class name, e.g. {@code MoneySerializer}
	 */
	public String serializer() {
		return this.serializer;
	}

}
