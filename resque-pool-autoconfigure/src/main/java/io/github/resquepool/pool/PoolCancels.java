package io.github.resquepool.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.fleet.CancelRequest;
import io.github.resquepool.resque.CancelStore;
import io.github.resquepool.worker.JobCancel;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;

/**
 * Applies the fleet's cancel requests to this pool's running jobs, on the supervisor
 * thread, whenever the fleet's version moves: one {@code MGET} of the requests of the
 * workers that run a job. A request names its job by the SHA-1 of its working status, so
 * only that job is cancelled; the request is marked {@code cancelling} just before (or
 * {@code missed} when the job ended meanwhile), which the asking process waits for,
 * together with the job's end.
 */
final class PoolCancels {

	private static final Log logger = LogFactory.getLog(PoolCancels.class);

	private final CancelStore store;

	private final String poolId;

	private final Supplier<List<WorkerGroup>> groups;

	/**
	 * @param store the cancel requests
	 * @param poolId the pool's id
	 * @param groups the pool's groups, running and draining
	 */
	PoolCancels(CancelStore store, String poolId, Supplier<List<WorkerGroup>> groups) {
		this.store = store;
		this.poolId = poolId;
		this.groups = groups;
	}

	/** Cancels the running jobs that a request names. */
	void apply() {
		List<Worker> working = new ArrayList<>();
		for (WorkerGroup group : this.groups.get()) {
			group.workers().stream().filter((worker) -> worker.currentJob() != null).forEach(working::add);
		}
		if (working.isEmpty()) {
			return;
		}
		Map<String, String> requests = this.store.requests(working.stream().map(Worker::id).toList());
		for (Worker worker : working) {
			String json = requests.get(worker.id());
			CancelRequest request = (json != null) ? CancelRequest.parse(json) : null;
			if (request == null || !CancelRequest.REQUESTED.equals(request.state())
					|| !this.poolId.equals(request.pool())) {
				continue;
			}
			RunningJob job = worker.currentJob();
			if (job == null || !job.statusSha().equals(request.sha())) {
				continue;
			}
			// Marked before the job is told: a cancelled job may end at once, and the
			// asking process, which sees it gone, must find the mark by then.
			this.store.update(worker.id(), request.withState(CancelRequest.CANCELLING).toJson());
			if (worker.cancel(request.sha(), new JobCancel(request.by(), request.at()))) {
				logger.warn("Cancelled the job of worker " + worker.id() + " (" + job.className() + ") for "
						+ request.by() + " (fleet command " + request.seq() + ")");
			}
			else {
				this.store.update(worker.id(), request.withState(CancelRequest.MISSED).toJson());
			}
		}
	}

}
