package io.github.resquepool.unique;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;

import io.github.resquepool.job.DuplicateJobException;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.ResqueUnique;
import io.github.resquepool.job.UniqueJob;
import io.github.resquepool.job.UniqueJobs;
import io.github.resquepool.pool.PoolListener;
import io.github.resquepool.resque.UniqueLock;
import io.github.resquepool.resque.UniqueStore;
import io.github.resquepool.worker.RunningJob;

/**
 * The worker's side of {@link ResqueUnique unique} jobs, the first of the interceptors.
 * Before a job of a unique class runs: under {@link ResqueUnique.Until#STARTED} the lock
 * is released; under {@link ResqueUnique.Until#FINISHED} the worker claims it, or, when
 * another running copy holds it (a copy Ruby enqueued, which does not know the lock), it
 * skips the job with a {@link DuplicateJobException}: logged, counted as
 * {@code duplicate}, no failure. A claimed lock is released when the job is done
 * (performed, failed, or not performed), if the worker still holds it; a job that stops
 * at a checkpoint and goes back to its queue keeps it as a waiting job's lock, which the
 * worker that takes it next claims.
 * <p>
 * As a {@link PoolListener} it releases a lock that no hook released, for a job that an
 * interceptor after it skipped: every callback runs on the worker's thread.
 */
public class UniqueJobInterceptor implements JobInterceptor, PoolListener, Ordered {

	private static final Log logger = LogFactory.getLog(UniqueJobInterceptor.class);

	private final UniqueJobs uniqueJobs;

	private final UniqueStore store;

	private final ThreadLocal<Claim> claims = new ThreadLocal<>();

	/**
	 * Creates the interceptor.
	 * @param uniqueJobs the unique classes
	 * @param store the locks
	 */
	public UniqueJobInterceptor(UniqueJobs uniqueJobs, UniqueStore store) {
		this.uniqueJobs = uniqueJobs;
		this.store = store;
	}

	@Override
	public void beforePerform(JobContext job, Object[] args) {
		this.claims.remove();
		UniqueJob unique = this.uniqueJobs.find(job.className()).orElse(null);
		if (unique == null) {
			return;
		}
		UniqueLock lock = new UniqueLock(unique.className(), this.uniqueJobs.keyOf(unique, args), unique.ttl());
		if (unique.until() == ResqueUnique.Until.STARTED) {
			this.store.releaseWaiting(lock);
			return;
		}
		String workerId = String.valueOf(job.workerId());
		String holder = this.store.claim(lock, workerId);
		if (holder != null) {
			String reason = "Skipped a duplicate " + job.className() + " job on queue " + job.queue()
					+ ": another copy with the same key runs (" + lock.name() + " = " + holder + ")";
			logger.info(reason);
			throw new DuplicateJobException(reason);
		}
		this.claims.set(new Claim(lock, workerId));
	}

	@Override
	public void afterPerform(JobContext job, Object[] args) {
		releaseQuietly();
	}

	@Override
	public void onFailure(JobContext job, Object[] args, Throwable error) {
		releaseQuietly();
	}

	@Override
	public void jobFinished(String group, RunningJob job, JobResult result, Duration duration) {
		releaseQuietly();
	}

	@Override
	public void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt,
			Duration duration) {
		releaseQuietly();
	}

	@Override
	public void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration) {
		Claim claim = this.claims.get();
		if (claim == null) {
			return;
		}
		this.claims.remove();
		try {
			this.store.requeued(claim.lock(), claim.workerId(), job.queue());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand " + claim.lock().name() + " back to its requeued job; it expires at its ttl",
					ex);
		}
	}

	private void releaseQuietly() {
		Claim claim = this.claims.get();
		if (claim == null) {
			return;
		}
		this.claims.remove();
		try {
			this.store.release(claim.lock(), claim.workerId());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release " + claim.lock().name() + "; it expires at its ttl", ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	private record Claim(UniqueLock lock, String workerId) {
	}

}
