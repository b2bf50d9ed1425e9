package io.github.resquepool.fleet;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The overrides stored for the fleet, and how a pool folds them into its groups: for each
 * group the most recent override (highest sequence number) that covers it wins, whatever
 * its scope. So after "scale g to 3 in pool A" then "scale g to 1 everywhere", every pool
 * runs 1, A included. A group no override covers runs as configured.
 *
 * @param version the fleet's version: it grows with every write and reset
 * @param overrides every stored override
 */
public record FleetOverrides(long version, List<FleetOverride> overrides) {

	/** No override at all. */
	public static final FleetOverrides NONE = new FleetOverrides(0, List.of());

	/**
	 * Reads stored overrides; an entry that cannot be read is skipped.
	 * @param version the fleet's version
	 * @param raw the stored JSON by hash field
	 * @return the overrides
	 */
	public static FleetOverrides parse(long version, java.util.Map<String, String> raw) {
		return parse(version, raw, (field, reason) -> {
		});
	}

	/**
	 * Reads stored overrides; an entry that cannot be read is skipped, and reported.
	 * @param version the fleet's version
	 * @param raw the stored JSON by hash field
	 * @param unreadable told the hash field and the reason of each entry skipped
	 * @return the overrides
	 */
	public static FleetOverrides parse(long version, java.util.Map<String, String> raw,
			java.util.function.BiConsumer<String, String> unreadable) {
		return FleetOverrideJson.read(version, raw, unreadable);
	}

	/** Copies the list. */
	public FleetOverrides {
		overrides = List.copyOf(overrides);
	}

	/**
	 * @param pool a pool id
	 * @param group one of its groups
	 * @return the group's number of workers set by the fleet, or empty when no override
	 * covers it
	 */
	public Optional<Integer> count(String pool, String group) {
		return latest(pool, group, false).map(FleetOverride::count);
	}

	/**
	 * @param pool a pool id
	 * @param group one of its groups
	 * @param pauseKind whether to look at pauses and resumes (else at counts)
	 * @return the winning override, if any covers the group
	 */
	public Optional<FleetOverride> latest(String pool, String group, boolean pauseKind) {
		return this.overrides.stream()
			.filter((o) -> o.kind().isPauseKind() == pauseKind && o.scope().covers(pool, group))
			.max(Comparator.comparingLong(FleetOverride::seq));
	}

	/**
	 * @return the highest sequence number stored, 0 when none
	 */
	public long lastSeq() {
		return this.overrides.stream().mapToLong(FleetOverride::seq).max().orElse(0);
	}

}
