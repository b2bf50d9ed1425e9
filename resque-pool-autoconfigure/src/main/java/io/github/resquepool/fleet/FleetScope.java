package io.github.resquepool.fleet;

/**
 * Which pools and groups a fleet command covers: the whole fleet, one group in every
 * pool, one pool, or one group of one pool.
 *
 * @param pool a pool id, or {@code null} for every pool
 * @param group a group name, or {@code null} for every group
 */
public record FleetScope(String pool, String group) {

	/** The whole fleet. */
	public static final FleetScope ALL = new FleetScope(null, null);

	/**
	 * Normalizes blank names to {@code null}.
	 */
	public FleetScope {
		pool = (pool == null || pool.isBlank()) ? null : pool;
		group = (group == null || group.isBlank()) ? null : group;
	}

	/**
	 * @param poolId a pool
	 * @param groupName one of its groups
	 * @return whether this scope covers that group of that pool
	 */
	public boolean covers(String poolId, String groupName) {
		return (this.pool == null || this.pool.equals(poolId)) && (this.group == null || this.group.equals(groupName));
	}

	/**
	 * @param other another scope
	 * @return whether everything the other scope covers is covered by this one
	 */
	public boolean contains(FleetScope other) {
		return (this.pool == null || this.pool.equals(other.pool))
				&& (this.group == null || this.group.equals(other.group));
	}

	/**
	 * @return the scope's field name in the overrides hash: {@code *}, {@code pool=<id>},
	 * ...
	 */
	String key() {
		if (this.pool == null && this.group == null) {
			return "*";
		}
		StringBuilder key = new StringBuilder();
		if (this.pool != null) {
			key.append("pool=").append(this.pool);
		}
		if (this.group != null) {
			key.append((key.length() > 0) ? "|" : "").append("group=").append(this.group);
		}
		return key.toString();
	}

	@Override
	public String toString() {
		if (this.pool == null && this.group == null) {
			return "the whole fleet";
		}
		if (this.pool == null) {
			return "group '" + this.group + "' in every pool";
		}
		return (this.group == null) ? "pool " + this.pool : "group '" + this.group + "' of pool " + this.pool;
	}

}
