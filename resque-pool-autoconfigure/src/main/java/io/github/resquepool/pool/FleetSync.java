package io.github.resquepool.pool;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.fleet.FleetOverride;
import io.github.resquepool.fleet.FleetOverrides;
import io.github.resquepool.resque.FleetStore;

/**
 * Applies the fleet's stored overrides to this pool, on the supervisor thread: when a
 * fleet write is announced, on every beat interval in case an announcement was lost (one
 * {@code GET} of the fleet's version), and before the first worker starts. Only what
 * changed in the overrides since the last time is applied, so a local scale or pause
 * stays until a fleet command covers it; an override that is dropped (reset) gives the
 * group back its configured state.
 */
final class FleetSync {

	private static final Log logger = LogFactory.getLog(FleetSync.class);

	private static final int MAX_FAILURES = 20;

	private final FleetStore store;

	private final String poolId;

	private final Supplier<List<WorkerGroup>> groups;

	private final Control control;

	private final Runnable beatSoon;

	private final Map<String, Optional<Boolean>> lastPaused = new HashMap<>();

	private final Map<String, Optional<Integer>> lastCount = new HashMap<>();

	private final Set<String> reportedUnreadable = new HashSet<>();

	/** Why overrides failed here, by their sequence number; the newest few only. */
	private final Map<Long, String> failures = new LinkedHashMap<>() {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
			return size() > MAX_FAILURES;
		}
	};

	private volatile long appliedVersion = -1;

	private volatile long appliedSeq;

	private volatile FleetOverrides current = FleetOverrides.NONE;

	private final PoolCancels cancels;

	/**
	 * @param store the fleet's records
	 * @param poolId the pool's id
	 * @param groups the pool's running groups
	 * @param control pauses and scales them as a local command would
	 * @param beatSoon asks for a beat, so the fleet sees what was applied
	 */
	FleetSync(FleetStore store, String poolId, Supplier<List<WorkerGroup>> groups, Control control, Runnable beatSoon) {
		this(store, poolId, groups, control, beatSoon, null);
	}

	/**
	 * @param store the fleet's records
	 * @param poolId the pool's id
	 * @param groups the pool's running groups
	 * @param control pauses and scales them as a local command would
	 * @param beatSoon asks for a beat, so the fleet sees what was applied
	 * @param cancels applies cancel requests to the pool's running jobs, or {@code null}
	 */
	FleetSync(FleetStore store, String poolId, Supplier<List<WorkerGroup>> groups, Control control, Runnable beatSoon,
			PoolCancels cancels) {
		this.cancels = cancels;
		this.store = store;
		this.poolId = poolId;
		this.groups = groups;
		this.control = control;
		this.beatSoon = beatSoon;
	}

	/** Applies the overrides when the fleet's version moved since the last time. */
	void check() {
		if (this.store.version() != this.appliedVersion) {
			sync();
		}
	}

	/** Reads and applies the overrides. */
	void sync() {
		FleetStore.Stored stored = this.store.read();
		FleetOverrides overrides = FleetOverrides.parse(stored.version(), stored.overrides(),
				(field, reason) -> reportUnreadable(field, reason, stored.overrides().get(field)));
		apply(overrides);
		if (this.cancels != null) {
			this.cancels.apply();
		}
		this.current = overrides;
		this.appliedSeq = overrides.lastSeq();
		this.appliedVersion = stored.version();
		this.beatSoon.run();
	}

	private void apply(FleetOverrides overrides) {
		String poolId = this.poolId;
		for (WorkerGroup group : this.groups.get()) {
			String name = group.name();
			Optional<FleetOverride> pause = overrides.latest(poolId, name, true);
			Optional<Boolean> paused = pause.map((o) -> o.kind() == FleetOverride.Kind.PAUSE);
			if (!paused.equals(this.lastPaused.get(name))) {
				this.lastPaused.put(name, paused);
				boolean target = paused.orElse(false);
				if (group.paused() != target) {
					logger.info((target ? "Pausing" : "Resuming") + " group '" + name + "' (" + describe(pause) + ")");
					this.control.pause(name, target);
				}
			}
			Optional<FleetOverride> scale = overrides.latest(poolId, name, false);
			Optional<Integer> count = scale.map(FleetOverride::count);
			if (!count.equals(this.lastCount.get(name))) {
				this.lastCount.put(name, count);
				int target = count.orElseGet(() -> this.control.configuredCount(name));
				if (group.desired() != target) {
					try {
						this.control.scale(name, target);
					}
					catch (IllegalArgumentException ex) {
						scale.ifPresent((o) -> fail(o, ex.getMessage()));
					}
				}
			}
		}
	}

	/**
	 * Reports an override that cannot be read once for as long as it stays as it is: the
	 * fleet is read on every beat interval.
	 */
	private void reportUnreadable(String field, String reason, String json) {
		if (this.reportedUnreadable.size() > MAX_FAILURES * 10) {
			this.reportedUnreadable.clear();
		}
		if (this.reportedUnreadable.add(field + "\n" + json)) {
			String shown = (json.length() > 200) ? json.substring(0, 200) + "..." : json;
			logger.warn("Fleet override '" + field + "' in Redis is ignored (" + reason + "): " + shown);
		}
	}

	private void fail(FleetOverride override, String reason) {
		synchronized (this.failures) {
			this.failures.put(override.seq(), reason);
		}
		logger.warn("Fleet command " + override.seq() + " (" + override.kind() + " " + override.scope() + " by "
				+ override.by() + ") failed here: " + reason);
	}

	private static String describe(Optional<FleetOverride> override) {
		return override.map((o) -> "fleet command " + o.seq() + " by " + o.by()).orElse("fleet reset");
	}

	/**
	 * @return the highest sequence number applied
	 */
	long appliedSeq() {
		return this.appliedSeq;
	}

	/**
	 * @return the fleet's version last applied, -1 before the first
	 */
	long appliedVersion() {
		return this.appliedVersion;
	}

	/**
	 * @return the overrides last applied
	 */
	FleetOverrides current() {
		return this.current;
	}

	/**
	 * @return why overrides failed here, by sequence number
	 */
	Map<Long, String> failures() {
		synchronized (this.failures) {
			return Map.copyOf(this.failures);
		}
	}

	/**
	 * How overrides reach the pool's groups: through the pool's own control, so that a
	 * fleet command is checked, logged and published as a local one.
	 */
	interface Control {

		/**
		 * Pauses or resumes a group.
		 * @param group the group's name
		 * @param pause whether to pause it
		 */
		void pause(String group, boolean pause);

		/**
		 * Scales a group.
		 * @param group the group's name
		 * @param count the new count
		 * @throws IllegalArgumentException when the count is refused
		 */
		void scale(String group, int count);

		/**
		 * @param group a group's name
		 * @return its count as configured when last applied
		 */
		int configuredCount(String group);

	}

}
