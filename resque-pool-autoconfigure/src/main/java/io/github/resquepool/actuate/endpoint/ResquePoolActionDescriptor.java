package io.github.resquepool.actuate.endpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What a write to the {@code resquepool} endpoint answers: what it changed, or why it
 * changed nothing.
 *
 * @param action the action asked for: {@code pause}, {@code resume}, {@code scale} or
 * {@code reload}
 * @param group the group it was aimed at, or {@code null} for the whole pool
 * @param applied whether the pool changed; {@code false} means the pool is exactly as
 * before
 * @param changes what changed, one line each (a reload that finds nothing new has none)
 * @param message why nothing changed, or {@code null} when the action was applied
 */
public record ResquePoolActionDescriptor(String action, @Nullable String group, boolean applied, List<String> changes,
		@Nullable String message) implements OperationResponseBody {

	/**
	 * An action that changed the pool.
	 * @param action the action
	 * @param group its group, or {@code null}
	 * @param changes what changed
	 * @return the descriptor
	 */
	public static ResquePoolActionDescriptor applied(String action, @Nullable String group, List<String> changes) {
		return new ResquePoolActionDescriptor(action, group, true, List.copyOf(changes), null);
	}

	/**
	 * An action that was refused and changed nothing.
	 * @param action the action
	 * @param group its group, or {@code null}
	 * @param message why it was refused, fit for an operator
	 * @return the descriptor
	 */
	public static ResquePoolActionDescriptor refused(String action, @Nullable String group, String message) {
		return new ResquePoolActionDescriptor(action, group, false, List.of(), message);
	}

}
