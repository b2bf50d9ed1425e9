package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.JobStore;
import io.github.resquepool.worker.JobCancel;
import io.github.resquepool.worker.JobFailure;
import io.github.resquepool.worker.JobTimeoutException;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;

/**
 * The job-timeout watchdog. A job that runs past its timeout is interrupted (that job,
 * and only while it still runs: the interrupt is tied to it). A job that ignores the
 * interrupt for a grace period is stuck: it is recorded as failed, its worker is marked
 * stuck and a replacement takes its slot, until the group has {@code max-stuck-workers}
 * stuck threads; past that cap no replacement starts, the group is {@code DOWN} in
 * health, and the log says why.
 */
final class Watchdog {

	private static final Log logger = LogFactory.getLog(Watchdog.class);

	private final Supplier<List<WorkerGroup>> groups;

	private final JobStore jobs;

	private final int maxStuckWorkers;

	/**
	 * Jobs interrupted for their timeout, by worker id, until they end or are taken over.
	 */
	private final Map<String, Interrupted> interrupted = new ConcurrentHashMap<>();

	private final Duration cancelGrace;

	/** Cancelled jobs, by worker id, from when the watchdog first saw them cancelled. */
	private final Map<String, Interrupted> cancelled = new ConcurrentHashMap<>();

	/**
	 * @param groups the groups to watch, running and draining
	 * @param jobs where a stuck job is recorded as failed
	 * @param maxStuckWorkers the most stuck threads a group may have and still get
	 * replacements
	 */
	Watchdog(Supplier<List<WorkerGroup>> groups, JobStore jobs, int maxStuckWorkers) {
		this(groups, jobs, maxStuckWorkers, JobLimits.DEFAULT_CANCEL_GRACE);
	}

	/**
	 * @param groups the groups to watch, running and draining
	 * @param jobs where a stuck job is recorded as failed
	 * @param maxStuckWorkers the most stuck threads a group may have and still get
	 * replacements
	 * @param cancelGrace how long a cancelled job has to end before it is stuck
	 */
	Watchdog(Supplier<List<WorkerGroup>> groups, JobStore jobs, int maxStuckWorkers, Duration cancelGrace) {
		this.groups = groups;
		this.jobs = jobs;
		this.maxStuckWorkers = maxStuckWorkers;
		this.cancelGrace = cancelGrace;
	}

	/** One round over every worker; runs on the supervisor thread. */
	void check() {
		Instant now = Instant.now();
		Set<String> running = new HashSet<>();
		Set<String> cancelling = new HashSet<>();
		for (WorkerGroup group : this.groups.get()) {
			for (Worker worker : group.workers()) {
				RunningJob job = worker.currentJob();
				JobCancel cancel = (job != null) ? worker.cancelOfCurrentJob() : null;
				if (cancel != null) {
					cancelling.add(worker.id());
					Interrupted seen = this.cancelled.get(worker.id());
					if (seen == null || seen.job() != job) {
						this.cancelled.put(worker.id(), new Interrupted(job, now));
					}
					else if (Duration.between(seen.at(), now).compareTo(this.cancelGrace) > 0) {
						this.cancelled.remove(worker.id());
						stuck(group, worker, job, JobFailure.cancelled(cancel, worker.id(), job.queue(), job.payload()),
								"ignores its cancel past resque.pool.cancel-grace (" + this.cancelGrace.toMillis()
										+ " ms)");
					}
					continue;
				}
				if (job == null || !job.overdue(now)) {
					continue;
				}
				running.add(worker.id());
				Interrupted earlier = this.interrupted.get(worker.id());
				if (earlier == null || earlier.job() != job) {
					String stack = stack(worker.thread());
					if (worker.interruptForTimeout(job, stack)) {
						this.interrupted.put(worker.id(), new Interrupted(job, now));
						logger.warn("Job " + job.className() + " on worker " + worker.id() + " ran past its timeout of "
								+ job.timeout().toMillis() + " ms; interrupting it. Its stack:" + stack);
					}
				}
				else if (Duration.between(earlier.at(), now).compareTo(stuckGrace(job)) > 0) {
					stuck(group, worker, job);
				}
			}
		}
		this.interrupted.keySet().retainAll(running);
		this.cancelled.keySet().retainAll(cancelling);
	}

	private static Duration stuckGrace(RunningJob job) {
		Duration tenth = job.timeout().dividedBy(10);
		return (tenth.compareTo(Duration.ofSeconds(5)) > 0) ? tenth : Duration.ofSeconds(5);
	}

	private void stuck(WorkerGroup group, Worker worker, RunningJob job) {
		this.interrupted.remove(worker.id());
		JobTimeoutException error = new JobTimeoutException(job.className(), job.timeout());
		stuck(group, worker, job,
				JobFailure.of(new IllegalStateException(error.getMessage() + ", and ignored the interrupt (stuck)"),
						worker.id(), job.queue(), job.payload()),
				"ignores its interrupt");
	}

	private void stuck(WorkerGroup group, Worker worker, RunningJob job, FailureRecord failure, String why) {
		if (!worker.takeOver(job)) {
			return;
		}
		this.jobs.requeue(worker.id(), job.statusSha(), failure);
		worker.markStuck();
		int stuck = group.stuck();
		int cap = this.maxStuckWorkers;
		if (stuck > cap) {
			logger.error("Job " + job.className() + " on worker " + worker.id() + " " + why + "; recorded it as "
					+ "failed. Group '" + group.name() + "' now has " + stuck + " stuck threads, more than "
					+ "resque.pool.max-stuck-workers=" + cap + ", so no replacement starts: the group is DOWN until "
					+ "stuck jobs end or the application restarts. Its stack:" + stack(worker.thread()));
		}
		else {
			logger.error("Job " + job.className() + " on worker " + worker.id() + " " + why + "; recorded it as "
					+ "failed and starting a replacement worker (" + stuck + " of at most " + cap
					+ " stuck threads in group '" + group.name() + "'). Its stack:" + stack(worker.thread()));
		}
		group.converge();
	}

	private static String stack(Thread thread) {
		if (thread == null) {
			return " (no thread)";
		}
		StringBuilder text = new StringBuilder();
		for (StackTraceElement frame : thread.getStackTrace()) {
			text.append("\n\tat ").append(frame);
		}
		return text.toString();
	}

	private record Interrupted(RunningJob job, Instant at) {
	}

}
