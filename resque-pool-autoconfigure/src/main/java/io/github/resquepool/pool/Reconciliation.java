package io.github.resquepool.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

	private final GroupMap groups;

	private final Function<GroupSettings, WorkerGroup> newGroup;

	/**
	 * @param groups the groups to converge
	 * @param newGroup makes a group, armed for wake-ups
	 */
	Reconciliation(GroupMap groups, Function<GroupSettings, WorkerGroup> newGroup) {
		this.groups = groups;
		this.newGroup = newGroup;
	}

	/**
	 * @param previous the configuration applied last (at the start or the last reload)
	 * @param next the new configuration
	 * @return what changed
	 */
	List<String> apply(Map<String, GroupSettings> previous, Map<String, GroupSettings> next) {
		List<String> changes = new ArrayList<>();
		Map<String, WorkerGroup> result = new LinkedHashMap<>();
		Map<String, WorkerGroup> running = new LinkedHashMap<>();
		this.groups.running().forEach((group) -> running.put(group.name(), group));
		List<WorkerGroup> retired = new ArrayList<>();
		for (WorkerGroup group : running.values()) {
			if (!next.containsKey(group.name())) {
				group.retireAll();
				retired.add(group);
				changes.add("removed group '" + group.name() + "' (" + group.workers().size() + " workers drain)");
			}
		}
		for (GroupSettings settings : next.values()) {
			WorkerGroup existing = running.get(settings.name());
			if (existing == null) {
				WorkerGroup added = this.newGroup.apply(settings);
				result.put(settings.name(), added);
				changes.add("added group '" + settings.name() + "' [" + settings.queues() + "] x" + settings.count());
			}
			else if (!existing.queues().equals(settings.queues())) {
				int count = countAfterReload(previous.get(settings.name()), settings, existing);
				WorkerGroup replacement = this.newGroup.apply(settings.withCount(count));
				existing.retireAll();
				existing.handOverTo(replacement);
				retired.add(existing);
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
		this.groups.replace(List.copyOf(result.values()), retired);
		result.values().forEach(WorkerGroup::converge);
		return changes;
	}

	/**
	 * @param groups the running groups, reconciled
	 * @param next the configuration they were reconciled with
	 * @return their settings: as configured, with their count as it is now
	 */
	static Map<String, GroupSettings> running(GroupMap groups, Map<String, GroupSettings> next) {
		Map<String, GroupSettings> running = new LinkedHashMap<>();
		groups.running().forEach((g) -> running.put(g.name(), next.get(g.name()).withCount(g.desired())));
		return running;
	}

	private static int countAfterReload(GroupSettings previous, GroupSettings next, WorkerGroup running) {
		boolean configuredCountChanged = previous == null || previous.count() != next.count();
		return configuredCountChanged ? next.count() : running.desired();
	}

}
