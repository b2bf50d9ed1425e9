package io.github.resquepool.resque;

/**
 * A queue element that is not a Resque job payload. The worker records it as a failure,
 * so an operator sees it in resque-web, and goes on.
 */
public class InvalidPayloadException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what is wrong with the payload
	 */
	public InvalidPayloadException(String message) {
		super(message);
	}

}
