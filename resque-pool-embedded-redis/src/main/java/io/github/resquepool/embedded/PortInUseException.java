package io.github.resquepool.embedded;

/**
 * A server could not start because its port is taken; a server on a free port is then
 * retried on another one.
 */
final class PortInUseException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	PortInUseException(String message) {
		super(message);
	}

}
