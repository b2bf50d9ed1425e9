package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.context.ApplicationEventPublisher;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.WorkerState;

/**
 * Publishes the pool's {@link ResquePoolEvent}s and calls its {@link PoolListener}s.
 */
public final class PoolEvents implements PoolEventSink {

	private final ResquePool pool;

	private final ApplicationEventPublisher publisher;

	private final List<PoolListener> listeners;

	/**
	 * The sink of a pool that publishes its events through Spring and calls its
	 * listeners.
	 * @param publisher publishes the events
	 * @param listeners observers of jobs and workers (metrics)
	 * @return what makes the sink of a pool
	 */
	public static Function<ResquePool, PoolEventSink> publishing(ApplicationEventPublisher publisher,
			List<PoolListener> listeners) {
		return (pool) -> new PoolEvents(pool, publisher, listeners);
	}

	private PoolEvents(ResquePool pool, ApplicationEventPublisher publisher, List<PoolListener> listeners) {
		this.pool = pool;
		this.publisher = publisher;
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void workerStarted(String group, String workerId) {
		this.publisher.publishEvent(new ResquePoolEvent.WorkerStarted(this.pool, workerId, group));
		this.listeners.forEach((listener) -> listener.workerStarted(group, workerId));
	}

	@Override
	public void workerExited(String group, String workerId, Throwable crash) {
		this.publisher
			.publishEvent((crash != null) ? new ResquePoolEvent.WorkerCrashed(this.pool, workerId, group, crash)
					: new ResquePoolEvent.WorkerStopped(this.pool, workerId, group));
		this.listeners.forEach((listener) -> listener.workerExited(group, workerId, crash));
	}

	@Override
	public void workerStateChanged(String group, String workerId, WorkerState previous, WorkerState state) {
		for (PoolListener listener : this.listeners) {
			listener.workerStateChanged(group, workerId, state);
			if (state == WorkerState.PAUSED) {
				listener.workerPaused(group, workerId);
			}
			else if (previous == WorkerState.PAUSED && state != WorkerState.STOPPED) {
				listener.workerResumed(group, workerId);
			}
		}
	}

	@Override
	public void jobFinished(String group, RunningJob job, JobResult result, Duration duration) {
		this.listeners.forEach((listener) -> listener.jobFinished(group, job, result, duration));
	}

	@Override
	public void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt,
			Duration duration) {
		this.listeners.forEach((listener) -> listener.jobRetried(group, job, error, attempt, retryAt, duration));
	}

	@Override
	public void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration) {
		this.listeners.forEach((listener) -> listener.jobRequeued(group, job, interrupt, duration));
	}

	@Override
	public void jobBlocked(String group, RunningJob job, String limit, String reason) {
		this.listeners.forEach((listener) -> listener.jobBlocked(group, job, limit, reason));
	}

	@Override
	public void memoryLimitExceeded(long usedBytes, long limitBytes, String reason) {
		this.publisher.publishEvent(new ResquePoolEvent.MemoryLimitExceeded(this.pool, usedBytes, limitBytes, reason));
	}

	@Override
	public void paused(String group) {
		this.publisher.publishEvent(new ResquePoolEvent.Paused(this.pool, group));
	}

	@Override
	public void resumed(String group) {
		this.publisher.publishEvent(new ResquePoolEvent.Resumed(this.pool, group));
	}

	@Override
	public void scaled(String group, int from, int to) {
		this.publisher.publishEvent(new ResquePoolEvent.Scaled(this.pool, group, from, to));
	}

	@Override
	public void reloaded(List<String> changes) {
		this.publisher.publishEvent(new ResquePoolEvent.Reloaded(this.pool, changes));
	}

}
