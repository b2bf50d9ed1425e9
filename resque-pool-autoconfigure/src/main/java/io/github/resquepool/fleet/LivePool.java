package io.github.resquepool.fleet;

import java.util.List;
import java.util.Map;

import io.github.resquepool.resque.FleetStore;

/**
 * A live pool as its beat describes it.
 *
 * @param id its id
 * @param beatMillis its last beat
 * @param online whether it beat within three beat intervals
 * @param info what its beat says
 */
record LivePool(String id, long beatMillis, boolean online, PoolInfo info) {

	static LivePool parse(FleetStore.PoolRecord record, boolean online) {
		return new LivePool(record.id(), record.beatMillis(), online, PoolInfo.parse(record.info()));
	}

	String host() {
		return this.info.host();
	}

	long pid() {
		return this.info.pid();
	}

	String started() {
		return this.info.started();
	}

	String state() {
		return this.info.state();
	}

	int maxWorkers() {
		return this.info.maxWorkers();
	}

	List<PoolInfo.Group> groups() {
		return this.info.groups();
	}

	List<PoolInfo.LongJob> jobs() {
		return this.info.jobs();
	}

	long appliedSeq() {
		return this.info.fleet().seq();
	}

	long appliedVersion() {
		return this.info.fleet().version();
	}

	Map<Long, String> failures() {
		return this.info.fleet().failuresBySeq();
	}

	/**
	 * How far this pool got with a command, by what its beat says.
	 * @param scope the command's scope
	 * @param kind the command's kind, {@code null} for a reset
	 * @param count the count of a scale
	 * @param seq the command's sequence number
	 * @param version the fleet's version the command made
	 * @return offline, pending (with what it waits for), failed (with the pool's reason)
	 * or applied
	 */
	FleetResult.PoolAck ack(FleetScope scope, FleetOverride.Kind kind, Integer count, long seq, long version) {
		LivePool pool = this;
		if (!pool.online()) {
			return FleetResult.PoolAck.offline(pool.id());
		}
		if (pool.appliedVersion() < version) {
			return FleetResult.PoolAck.pending(pool.id(), "not applied yet");
		}
		String failure = pool.failures().get(seq);
		if (failure != null && kind != null) {
			return FleetResult.PoolAck.failed(pool.id(), failure);
		}
		List<PoolInfo.Group> covered = pool.groups().stream().filter((g) -> scope.covers(pool.id(), g.name())).toList();
		if (kind == FleetOverride.Kind.PAUSE) {
			int busy = covered.stream().mapToInt(PoolInfo.Group::busy).sum();
			return covered.stream().allMatch((g) -> g.state().equals("paused")) ? FleetResult.PoolAck.applied(pool.id())
					: FleetResult.PoolAck.pending(pool.id(), "finishing " + busy + " running jobs");
		}
		if (kind == FleetOverride.Kind.RESUME) {
			return covered.stream().allMatch((g) -> g.state().equals("running"))
					? FleetResult.PoolAck.applied(pool.id())
					: FleetResult.PoolAck.pending(pool.id(), "still paused (a local pause of the whole pool?)");
		}
		if (kind == FleetOverride.Kind.SCALE) {
			for (PoolInfo.Group group : covered) {
				if (group.live() != count) {
					return FleetResult.PoolAck.pending(pool.id(),
							group.live() + " of " + count + " workers of group '" + group.name() + "'");
				}
			}
		}
		return FleetResult.PoolAck.applied(pool.id());
	}

}
