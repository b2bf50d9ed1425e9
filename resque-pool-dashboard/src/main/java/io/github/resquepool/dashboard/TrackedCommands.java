package io.github.resquepool.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.ResqueFleet;

/**
 * The fleet commands sent from the dashboard, remembered by a number of its own (the last
 * {@value DashboardPages#MAX_REMEMBERED}), so that a page can follow each one's
 * acknowledgements.
 */
final class TrackedCommands {

	private final Map<Long, TrackedCommand> commands = DashboardPages.remembered();

	private final AtomicLong ids = new AtomicLong();

	private final ResqueFleet fleet;

	TrackedCommands(ResqueFleet fleet) {
		this.fleet = fleet;
	}

	long track(TrackedCommand command) {
		long id = this.ids.incrementAndGet();
		this.commands.put(id, command);
		return id;
	}

	TrackedCommand get(long id) {
		return this.commands.get(id);
	}

	/**
	 * The acknowledgement of each pool in a command's scope, as the fleet API's write
	 * would give it: offline, pending, failed with the pool's reason, or applied.
	 */
	List<FleetResult.PoolAck> acks(TrackedCommand command) {
		return this.fleet.acknowledgements(command.scope(), command.op(), command.count(), command.seq(),
				command.version());
	}

	/**
	 * One fleet command as the dashboard sent it.
	 *
	 * @param op {@code pause}, {@code resume} or {@code scale}
	 * @param scope its pool and group
	 * @param count the count of a scale
	 * @param seq its sequence number in the fleet
	 * @param version the fleet state's version it wrote
	 * @param at when it was sent
	 * @param by who sent it
	 */
	record TrackedCommand(String op, FleetScope scope, Integer count, long seq, long version, Instant at, String by) {

		String describe() {
			String verb = Character.toUpperCase(this.op.charAt(0)) + this.op.substring(1);
			return verb + " " + this.scope + ((this.count != null) ? " to " + this.count : "");
		}

	}

}
