package io.github.resquepool.actuate.endpoint;

import java.util.List;
import java.util.Locale;

import io.github.resquepool.fleet.FleetOverride;
import io.github.resquepool.fleet.FleetView;

/**
 * What {@code GET /actuator/resquefleet} shows: every live pool with its groups, the
 * stored overrides (with who set them and when), and the paused queues.
 *
 * @param pools the live pools
 * @param overrides the stored overrides, oldest first
 * @param pausedQueues queues paused with resque-pause's keys
 * @param allQueuesPaused whether resque-pause's {@code pause:all} is set
 */
public record ResqueFleetDescriptor(List<FleetView.Pool> pools, List<Override> overrides, List<String> pausedQueues,
		boolean allQueuesPaused) {

	static ResqueFleetDescriptor of(FleetView view) {
		return new ResqueFleetDescriptor(view.pools(), view.overrides().stream().map(Override::of).toList(),
				view.pausedQueues(), view.allQueuesPaused());
	}

	/**
	 * One stored override.
	 *
	 * @param seq its sequence number: of the overrides covering a group, the highest wins
	 * @param action {@code pause}, {@code resume} or {@code scale}
	 * @param pool the pool it covers, {@code null} for every pool
	 * @param group the group it covers, {@code null} for every group
	 * @param count the count, for {@code scale}
	 * @param by who set it
	 * @param at when, ISO-8601
	 */
	public record Override(long seq, String action, String pool, String group, Integer count, String by, String at) {

		static Override of(FleetOverride override) {
			return new Override(override.seq(), override.kind().name().toLowerCase(Locale.ROOT),
					override.scope().pool(), override.scope().group(), override.count(), override.by(),
					override.at().toString());
		}

	}

	/**
	 * A refused write: nothing was stored.
	 *
	 * @param action the action asked for
	 * @param message why it was refused
	 */
	public record Refusal(String action, String message) {

		static Refusal of(String action, String message) {
			return new Refusal(action, message);
		}

	}

}
