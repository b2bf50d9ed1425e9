package io.github.resquepool.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.resquepool.fleet.PoolInfo;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.worker.WorkerState;

/**
 * The pool's self-description that every beat writes into {@code resquepool:pool:<id>} as
 * {@code info}, for the fleet to read: who it is, its state, its groups (desired, live
 * and busy workers, state), and which fleet command it applied last with those that
 * failed here.
 */
final class PoolView {

	private PoolView() {
	}

	static String json(PoolIdentity identity, String started, int workers, int maxWorkers, PoolStatus status,
			FleetSync fleet) {
		List<PoolInfo.Group> groups = status.groups()
			.stream()
			.map((group) -> new PoolInfo.Group(group.name(), group.queues(), group.count(), group.live(),
					(int) status.workers()
						.stream()
						.filter((w) -> w.group().equals(group.name()) && w.state() == WorkerState.WORKING)
						.count(),
					name(group.state())))
			.toList();
		Map<String, String> failures = new LinkedHashMap<>();
		if (fleet != null) {
			fleet.failures().forEach((seq, reason) -> failures.put(String.valueOf(seq), reason));
		}
		PoolInfo.Fleet applied = new PoolInfo.Fleet((fleet != null) ? fleet.appliedSeq() : 0,
				(fleet != null) ? fleet.appliedVersion() : -1, failures);
		List<PoolInfo.LongJob> jobs = status.workers()
			.stream()
			.filter((w) -> w.job() != null
					&& (w.job().cursor() != null || w.job().progress() != null || w.job().cancelledBy() != null))
			.limit(PoolInfo.MAX_JOBS)
			.map(PoolView::longJob)
			.toList();
		return new PoolInfo(identity.hostname(), identity.pid(), started, workers, maxWorkers, name(status.state()),
				groups, applied, jobs)
			.toJson();
	}

	private static PoolInfo.LongJob longJob(PoolStatus.WorkerInfo worker) {
		PoolStatus.Job job = worker.job();
		Checkpoint.Progress progress = job.progress();
		return new PoolInfo.LongJob(worker.id(), job.className(), job.queue(), job.cursor(), job.cursorSavedAt(),
				(progress != null) ? progress.done() : null, (progress != null) ? progress.total() : null,
				(progress != null) ? progress.message() : null, job.cancelledBy());
	}

	private static String name(PoolStatus.State state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
