package io.github.resquepool.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.resquepool.fleet.FleetOverride;
import io.github.resquepool.fleet.FleetOverrides;
import io.github.resquepool.resque.FleetStore;
import io.github.resquepool.resque.ResqueRedis;

/**
 * What a configuration would run, without running it (resqued's {@code --test}): each
 * group with its queue list, its count after environment overrides and the fleet's stored
 * overrides that would cover a new pool, and how {@code *} and globs expand against the
 * {@code queues} set now.
 */
public final class DryRun {

	private final PoolSettings settings;

	private final ResqueRedis redis;

	/**
	 * Creates the report's source.
	 * @param settings the validated configuration
	 * @param redis the Redis of Resque
	 */
	public DryRun(PoolSettings settings, ResqueRedis redis) {
		this.settings = settings;
		this.redis = redis;
	}

	/**
	 * @return the report, one line a fact
	 */
	public List<String> report() {
		List<String> lines = new ArrayList<>();
		Set<String> known = this.redis.queues().names();
		FleetStore.Stored stored = this.redis.fleet().read();
		FleetOverrides overrides = FleetOverrides.parse(stored.version(), stored.overrides());
		lines.add("resque-pool dry run on namespace '" + this.redis.keys().namespace() + "': "
				+ this.settings.groups().size() + " groups, " + this.settings.totalCount()
				+ " workers configured (max-workers " + this.settings.maxWorkers() + ")"
				+ (this.settings.paused() ? ", starting paused" : ""));
		// A new pool has an id no override names yet: only the fleet-wide and group-wide
		// ones cover it.
		String newPool = "(a new pool)";
		int total = 0;
		for (GroupSettings group : this.settings.groups().values()) {
			int count = overrides.count(newPool, group.name()).orElse(group.count());
			total += count;
			StringBuilder line = new StringBuilder(
					"  group '" + group.name() + "': queues " + group.queues() + ", " + count + " workers");
			if (count != group.count()) {
				line.append(" (configured ").append(group.count()).append(", fleet override)");
			}
			overrides.latest(newPool, group.name(), true)
				.filter((o) -> o.kind() == FleetOverride.Kind.PAUSE)
				.ifPresent((o) -> line.append(", paused by the fleet (")
					.append(o.by())
					.append(" at ")
					.append(o.at())
					.append(')'));
			lines.add(line.toString());
			if (group.queues().isDynamic()) {
				List<String> expanded = group.queues().expand(known);
				lines.add("    expands now to " + (expanded.isEmpty() ? "no queue" : String.join(", ", expanded)));
			}
		}
		lines.add("  in all " + total + " workers; no worker was started");
		return lines;
	}

}
