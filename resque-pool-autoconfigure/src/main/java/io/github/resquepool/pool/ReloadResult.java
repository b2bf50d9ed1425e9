package io.github.resquepool.pool;

import java.util.List;

/**
 * What {@link ResquePool#reload()} did.
 *
 * @param applied whether the new configuration was applied
 * @param changes what changed, one line per group (empty when nothing did)
 * @param error why the configuration was refused, or {@code null}
 */
public record ReloadResult(boolean applied, List<String> changes, String error) {

	static ReloadResult applied(List<String> changes) {
		return new ReloadResult(true, List.copyOf(changes), null);
	}

	static ReloadResult refused(String error) {
		return new ReloadResult(false, List.of(), error);
	}

}
