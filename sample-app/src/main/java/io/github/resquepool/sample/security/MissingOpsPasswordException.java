package io.github.resquepool.sample.security;

/**
 * Thrown at startup when the operators' password ({@code OPS_PASSWORD}, bound to
 * {@code spring.security.user.password}) is not set or is blank.
 */
public class MissingOpsPasswordException extends IllegalStateException {

	MissingOpsPasswordException() {
		super("No operator password: OPS_PASSWORD (spring.security.user.password) is not set or is blank");
	}

}
