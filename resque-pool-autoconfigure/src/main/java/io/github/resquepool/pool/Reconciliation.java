package io.github.resquepool.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converges the running groups to a reloaded configuration, group by group: unchanged
 * groups are left alone, a new count scales, new queues replace the group (its workers
 * finish their job first, and the replacement starts only as they leave), removed groups
 * drain.
 * <p>
 * Counts follow the three-way rule of {@code kubectl apply}: a group's count is set from
 * the configuration only when the configured count itself changed since it was last
 * applied; a count an operator set at run time (locally or through the fleet) otherwise
 * stays.
 */
final class Reconciliation {

	private final ResquePool pool;

	private final Map<String, WorkerGroup> groups;

	private final List<WorkerGroup> draining;

	Reconciliation(ResquePool pool, Map<String, WorkerGroup> groups, List<WorkerGroup> draining) {
		this.pool = pool;
		this.groups = groups;
		this.draining = draining;
	}

	/**
	 * @param previous the configuration applied last (at the start or the last reload)
	 * @param next the new configuration
	 * @return what changed
	 */
	List<String> apply(Map<String, GroupSettings> previous, Map<String, GroupSettings> next) {
		List<String> changes = new ArrayList<>();
		Map<String, WorkerGroup> result = new LinkedHashMap<>();
		for (WorkerGroup group : this.groups.values()) {
			if (!next.containsKey(group.name())) {
				group.retireAll();
				this.draining.add(group);
				changes.add("removed group '" + group.name() + "' (" + group.workers().size() + " workers drain)");
			}
		}
		for (GroupSettings settings : next.values()) {
			WorkerGroup existing = this.groups.get(settings.name());
			if (existing == null) {
				WorkerGroup added = this.pool.newGroup(settings);
				result.put(settings.name(), added);
				changes.add("added group '" + settings.name() + "' [" + settings.queues() + "] x" + settings.count());
			}
			else if (!existing.queues().equals(settings.queues())) {
				int count = countAfterReload(previous.get(settings.name()), settings, existing);
				WorkerGroup replacement = this.pool.newGroup(settings.withCount(count));
				existing.retireAll();
				existing.handOverTo(replacement);
				this.draining.add(existing);
				result.put(settings.name(), replacement);
				changes.add("group '" + settings.name() + "' queues " + existing.queues() + " -> " + settings.queues()
						+ ", x" + count + " (workers replaced as they finish)");
			}
			else {
				int count = countAfterReload(previous.get(settings.name()), settings, existing);
				if (existing.desired() != count) {
					changes.add("scaled group '" + settings.name() + "' from " + existing.desired() + " to " + count);
					existing.setDesired(count);
				}
				result.put(settings.name(), existing);
			}
		}
		this.groups.clear();
		this.groups.putAll(result);
		result.values().forEach(WorkerGroup::converge);
		return changes;
	}

	private static int countAfterReload(GroupSettings previous, GroupSettings next, WorkerGroup running) {
		boolean configuredCountChanged = previous == null || previous.count() != next.count();
		return configuredCountChanged ? next.count() : running.desired();
	}

}
