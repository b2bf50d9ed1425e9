package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.resquepool.fleet.FleetOverrides;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.worker.JobCancel;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * Builds a {@link PoolStatus} from the live pool, telling requested states from effective
 * ones.
 */
final class StatusSnapshot {

	private final PoolState pool;

	private final List<WorkerGroup> groups;

	private final List<WorkerGroup> draining;

	private final int maxStuckWorkers;

	/**
	 * @param pool the pool's state
	 * @param groups its running groups
	 * @param draining its retired groups whose workers still finish their jobs
	 * @param maxStuckWorkers the most stuck threads a group may have and still be up
	 */
	StatusSnapshot(PoolState pool, List<WorkerGroup> groups, List<WorkerGroup> draining, int maxStuckWorkers) {
		this.pool = pool;
		this.groups = groups;
		this.draining = List.copyOf(draining);
		this.maxStuckWorkers = maxStuckWorkers;
	}

	/**
	 * @param now the time of the snapshot
	 * @param poolId the pool's id, {@code null} before its first start
	 * @param redisUp whether Redis answers
	 * @param lastReloadError why the last reload was refused, or {@code null}
	 * @param fleet the fleet overrides the pool applied, or {@code null} before its start
	 * @return the snapshot
	 */
	PoolStatus take(Instant now, String poolId, boolean redisUp, String lastReloadError, FleetOverrides fleet) {
		List<PoolStatus.Group> groupViews = new ArrayList<>();
		List<PoolStatus.WorkerInfo> workers = new ArrayList<>();
		boolean anyWorking = false;
		for (WorkerGroup group : this.groups) {
			State requested = requested(group.paused() || this.pool.isPaused());
			boolean working = group.workers().stream().anyMatch((w) -> w.state() == WorkerState.WORKING);
			anyWorking |= working;
			groupViews.add(new PoolStatus.Group(group.name(), group.queues().toString(), group.desired(), group.live(),
					requested, effective(requested, working), group.currentBackoff(), group.crashes(), group.stuck(),
					group.stuck() > this.maxStuckWorkers));
		}
		List<WorkerGroup> all = new ArrayList<>(this.groups);
		all.addAll(this.draining);
		for (WorkerGroup group : all) {
			for (Worker worker : group.workers()) {
				if (worker.state() == WorkerState.STOPPED) {
					// Its thread is ending and its record is gone from Redis: no longer a
					// worker of the pool.
					continue;
				}
				WorkerState state = group.isLeaving(worker) ? WorkerState.STOPPING : worker.state();
				workers.add(new PoolStatus.WorkerInfo(worker.id(), group.name(), state, job(worker, now),
						worker.timeoutStack()));
				anyWorking |= worker.state() == WorkerState.WORKING;
			}
		}
		State requested = requested(this.pool.isPaused());
		return new PoolStatus(poolId, requested, effective(requested, anyWorking), groupViews, workers,
				this.pool.processed(), this.pool.failed(), redisUp, lastReloadError, overrides(poolId, fleet));
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

	private static PoolStatus.Job job(Worker worker, Instant now) {
		RunningJob job = worker.currentJob();
		if (job == null) {
			return null;
		}
		Duration running = job.runningFor(now);
		Checkpoint saved = worker.checkpointOfCurrentJob();
		JobCancel cancel = worker.cancelOfCurrentJob();
		return new PoolStatus.Job(job.className(), job.queue(), job.startedAt(), running, job.payload(),
				(saved != null) ? saved.cursor() : null, (saved != null) ? saved.savedAt() : null,
				(saved != null) ? saved.progress() : null, (cancel != null) ? cancel.by() : null);
	}

	private List<String> overrides(String poolId, FleetOverrides fleet) {
		if (fleet == null || poolId == null) {
			return List.of();
		}
		List<String> described = new ArrayList<>();
		for (WorkerGroup group : this.groups) {
			for (boolean pauseKind : new boolean[] { true, false }) {
				fleet.latest(poolId, group.name(), pauseKind)
					.ifPresent((o) -> described
						.add("group '" + group.name() + "': " + o.kind().name().toLowerCase(Locale.ROOT)
								+ ((o.count() != null) ? " to " + o.count() : "") + " by " + o.by() + " at " + o.at()
								+ " (fleet command " + o.seq() + ", for " + o.scope() + ")"));
			}
		}
		return described;
	}

}
