package io.github.resquepool.actuate.endpoint;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import io.github.resquepool.fleet.FleetOverride;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.resque.QueueLimit;

/**
 * What {@code GET /actuator/resquefleet} shows: every live pool with its groups, the
 * stored overrides (with who set them and when), and the paused queues.
 *
 * @param pools the live pools
 * @param overrides the stored overrides, oldest first
 * @param pausedQueues queues paused with resque-pause's keys
 * @param allQueuesPaused whether resque-pause's {@code pause:all} is set
 * @param limits the fleet-wide limits in force
 */
public record ResqueFleetDescriptor(List<FleetView.Pool> pools, List<Override> overrides, List<String> pausedQueues,
		boolean allQueuesPaused, List<Limit> limits) {

	static ResqueFleetDescriptor of(FleetView view) {
		return new ResqueFleetDescriptor(view.pools(), view.overrides().stream().map(Override::of).toList(),
				view.pausedQueues(), view.allQueuesPaused(), view.limits().stream().map(Limit::of).toList());
	}

	/**
	 * One fleet-wide limit in force.
	 *
	 * @param queue the queue it limits, or {@code null}
	 * @param className the job class it limits ({@code class} in JSON), or {@code null}
	 * @param key the key's value of a per-key limit, or {@code null}
	 * @param concurrency how many jobs may run at once, or {@code null}
	 * @param rate how many jobs may start per window, or {@code null}
	 * @param per the rate's window, such as {@code 1m}, or {@code null}
	 * @param held how many slots are held
	 * @param blocked how many jobs wait for room
	 * @param source {@code configuration}, {@code override} or {@code annotation}
	 * @param holders some of the workers that hold a slot
	 * @param setBy who set an override and when, or {@code null}
	 */
	public record Limit(@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String queue,
			@JsonProperty("class") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String className,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String key,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer concurrency,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer rate, @Nullable String per, long held,
			long blocked, String source, List<String> holders, @Nullable String setBy) {

		static Limit of(FleetView.Limit limit) {
			return new Limit(limit.queue(), limit.className(), limit.key(), limit.concurrency(), limit.rate(),
					(limit.per() != null) ? QueueLimit.window(limit.per()) : null, limit.held(), limit.blocked(),
					limit.source(), limit.holders(), limit.setBy());
		}

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
