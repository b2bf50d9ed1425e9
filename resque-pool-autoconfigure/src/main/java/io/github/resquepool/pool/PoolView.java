package io.github.resquepool.pool;

import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import io.github.resquepool.worker.WorkerState;

/**
 * The pool's self-description that every beat writes into {@code resquepool:pool:<id>} as
 * {@code info}, for the fleet to read: who it is, its state, its groups (desired, live
 * and busy workers, state), and which fleet command it applied last with those that
 * failed here.
 */
final class PoolView {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private PoolView() {
	}

	static String json(PoolIdentity identity, String started, int workers, int maxWorkers, PoolStatus status,
			FleetSync fleet) {
		ObjectNode node = JSON.createObjectNode();
		node.put("host", identity.hostname());
		node.put("pid", identity.pid());
		node.put("started", started);
		node.put("workers", workers);
		node.put("maxWorkers", maxWorkers);
		node.put("state", name(status.state()));
		ArrayNode groups = node.putArray("groups");
		for (PoolStatus.Group group : status.groups()) {
			ObjectNode g = groups.addObject();
			g.put("name", group.name());
			g.put("queues", group.queues());
			g.put("count", group.count());
			g.put("live", group.live());
			g.put("busy",
					status.workers()
						.stream()
						.filter((w) -> w.group().equals(group.name()) && w.state() == WorkerState.WORKING)
						.count());
			g.put("state", name(group.state()));
		}
		ObjectNode fleetNode = node.putObject("fleet");
		fleetNode.put("seq", (fleet != null) ? fleet.appliedSeq() : 0);
		fleetNode.put("version", (fleet != null) ? fleet.appliedVersion() : -1);
		ObjectNode failures = fleetNode.putObject("failures");
		if (fleet != null) {
			for (Map.Entry<Long, String> failure : fleet.failures().entrySet()) {
				failures.put(String.valueOf(failure.getKey()), failure.getValue());
			}
		}
		return JSON.writeValueAsString(node);
	}

	private static String name(PoolStatus.State state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
