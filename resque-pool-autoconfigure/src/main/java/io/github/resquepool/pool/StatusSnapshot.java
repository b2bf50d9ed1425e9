package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * Builds a {@link PoolStatus} from the live pool, telling requested states from effective
 * ones.
 */
final class StatusSnapshot {

	private final ResquePool pool;

	private final List<WorkerGroup> groups;

	private final List<WorkerGroup> draining;

	StatusSnapshot(ResquePool pool, List<WorkerGroup> groups, List<WorkerGroup> draining) {
		this.pool = pool;
		this.groups = groups;
		this.draining = List.copyOf(draining);
	}

	PoolStatus take(Instant now) {
		List<PoolStatus.Group> groupViews = new ArrayList<>();
		List<PoolStatus.WorkerInfo> workers = new ArrayList<>();
		boolean anyWorking = false;
		for (WorkerGroup group : this.groups) {
			State requested = requested(group.paused() || this.pool.isPaused());
			boolean working = group.workers().stream().anyMatch((w) -> w.state() == WorkerState.WORKING);
			anyWorking |= working;
			groupViews.add(new PoolStatus.Group(group.name(), group.queues().toString(), group.desired(), group.live(),
					requested, effective(requested, working), group.currentBackoff(), group.crashes(), group.stuck(),
					group.stuck() > this.pool.settings().maxStuckWorkers()));
		}
		List<WorkerGroup> all = new ArrayList<>(this.groups);
		all.addAll(this.draining);
		for (WorkerGroup group : all) {
			for (Worker worker : group.workers()) {
				WorkerState state = group.isLeaving(worker) && worker.state() != WorkerState.STOPPED
						? WorkerState.STOPPING : worker.state();
				workers.add(new PoolStatus.WorkerInfo(worker.id(), group.name(), state, job(worker.currentJob(), now),
						worker.timeoutStack()));
				anyWorking |= worker.state() == WorkerState.WORKING;
			}
		}
		State requested = requested(this.pool.isPaused());
		PoolIdentity identity = this.pool.identity();
		return new PoolStatus((identity != null) ? identity.poolId() : null, requested,
				effective(requested, anyWorking), groupViews, workers, this.pool.processed(), this.pool.failed(),
				this.pool.redis().connectivity().isUp(), this.pool.lastReloadError(), overrides(identity));
	}

	private State requested(boolean paused) {
		return switch (this.pool.lifecycle()) {
			case NEW, STOPPED -> State.STOPPED;
			case STOPPING -> State.STOPPING;
			case RUNNING -> paused ? State.PAUSED : State.RUNNING;
		};
	}

	private static State effective(State requested, boolean working) {
		return (requested == State.PAUSED && working) ? State.PAUSING : requested;
	}

	private static PoolStatus.Job job(RunningJob job, Instant now) {
		if (job == null) {
			return null;
		}
		Duration running = job.runningFor(now);
		return new PoolStatus.Job(job.className(), job.queue(), job.startedAt(), running, job.payload());
	}

	private List<String> overrides(PoolIdentity identity) {
		FleetSync fleet = this.pool.fleet();
		if (fleet == null || identity == null) {
			return List.of();
		}
		List<String> described = new ArrayList<>();
		for (WorkerGroup group : this.groups) {
			for (boolean pauseKind : new boolean[] { true, false }) {
				fleet.current()
					.latest(identity.poolId(), group.name(), pauseKind)
					.ifPresent((o) -> described
						.add("group '" + group.name() + "': " + o.kind().name().toLowerCase(java.util.Locale.ROOT)
								+ ((o.count() != null) ? " to " + o.count() : "") + " by " + o.by() + " at " + o.at()
								+ " (fleet command " + o.seq() + ", for " + o.scope() + ")"));
			}
		}
		return described;
	}

}
