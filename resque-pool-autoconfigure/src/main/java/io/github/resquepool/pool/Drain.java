package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.worker.JobFailure;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * The graceful stop of a pool whose workers were all asked to leave: wait for running
 * jobs up to the shutdown timeout, then cut off what still runs (requeued at the head of
 * its queue, or recorded as {@code Resque::DirtyExit}), interrupt those threads,
 * unregister everything and remove the pool's liveness record.
 */
final class Drain {

	private static final Log logger = LogFactory.getLog(Drain.class);

	private static final Duration GRACE_AFTER_INTERRUPT = Duration.ofSeconds(2);

	private final ResqueRedis redis;

	private final PoolIdentity identity;

	private final List<WorkerGroup> groups;

	private final boolean requeue;

	private final Runnable stopHousekeeping;

	/**
	 * @param redis the gateway
	 * @param identity the stopping pool
	 * @param groups its groups, all retired
	 * @param requeue whether cut-off jobs go back to the head of their queue, else become
	 * {@code Resque::DirtyExit} failures
	 * @param stopHousekeeping stops the pool's beats and duties, before its records go
	 */
	Drain(ResqueRedis redis, PoolIdentity identity, List<WorkerGroup> groups, boolean requeue,
			Runnable stopHousekeeping) {
		this.redis = redis;
		this.requeue = requeue;
		this.identity = identity;
		this.groups = groups;
		this.stopHousekeeping = stopHousekeeping;
	}

	void run(Duration timeout) {
		Instant started = Instant.now();
		awaitExit(started.plus(timeout));
		boolean requeue = this.requeue;
		List<Map.Entry<Worker, RunningJob>> cutOff = new ArrayList<>();
		for (Worker worker : alive()) {
			RunningJob job = worker.takeOver();
			if (job != null) {
				cutOff.add(Map.entry(worker, job));
			}
		}
		// Each goes back to the head of its queue: the job taken last first, so the queue
		// keeps
		// its original order.
		cutOff.sort(Comparator.comparingLong((Map.Entry<Worker, RunningJob> e) -> e.getValue().sequence()).reversed());
		for (Map.Entry<Worker, RunningJob> entry : cutOff) {
			RunningJob job = entry.getValue();
			cutOff(entry.getKey(), job, requeue, Duration.between(job.startedAt(), Instant.now()));
		}
		alive().forEach(Worker::interrupt);
		awaitExit(Instant.now().plus(GRACE_AFTER_INTERRUPT));
		// The pool beat while it drained, so no other pool took it for dead; now the
		// beats stop
		// for good before its records are removed, so that none re-creates them.
		this.stopHousekeeping.run();
		if (!this.redis.connectivity().isUp()) {
			logger
				.warn("Redis is unreachable, so resque-pool " + this.identity.poolId() + " stops without unregistering;"
						+ " a live pool requeues its unfinished jobs and removes its workers after recovery-timeout");
			return;
		}
		try {
			this.redis.workers()
				.unregister(this.identity.poolId(), alive().stream().map(Worker::id).toList(), requeue,
						JobFailure.DIRTY_EXIT);
			this.redis.pools().recover(this.identity.poolId(), Duration.ZERO, RubyTime.failedAtNow(), requeue);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not unregister the pool's workers (" + ex.getMessage()
					+ "); a live pool recovers them once this pool stops beating");
		}
		logger.info("resque-pool " + this.identity.poolId() + " stopped after "
				+ Duration.between(started, Instant.now()).toMillis() + " ms");
	}

	private void cutOff(Worker worker, RunningJob job, boolean requeue, Duration ran) {
		try {
			boolean held = this.redis.jobs()
				.requeue(worker.id(), job.statusSha(),
						requeue ? null : JobFailure.dirtyExit("Job still being processed when the pool stopped",
								worker.id(), job.queue(), job.payload()));
			if (held) {
				logger.warn("Cut off job " + job.className() + " on worker " + worker.id() + " after " + ran.toMillis()
						+ " ms: " + (requeue ? "requeued at the head of queue '" + job.queue() + "'"
								: "recorded as Resque::DirtyExit"));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not requeue job " + job.className() + " of worker " + worker.id() + " ("
					+ ex.getMessage() + "); it stays recorded in Redis and a live pool recovers it");
		}
	}

	private void awaitExit(Instant deadline) {
		while (!alive().isEmpty() && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private List<Worker> alive() {
		List<Worker> alive = new ArrayList<>();
		this.groups.forEach((
				group) -> group.workers().stream().filter((w) -> w.state() != WorkerState.STOPPED).forEach(alive::add));
		return alive;
	}

}
