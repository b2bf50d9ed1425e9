package io.github.resquepool.autoconfigure;

/**
 * The settings of the {@code ResqueClient} ({@code resque.pool.client.*}).
 */
public class ClientProperties {

	/**
	 * Whether enqueued payloads carry "enqueued_at" (epoch seconds) for the queue latency
	 * metric. Ruby ignores it, but Resque.dequeue with arguments then misses those jobs.
	 */
	private boolean enqueuedAt;

	/**
	 * Whether an enqueue inside an active Spring-managed transaction waits for its commit
	 * and is dropped on rollback, so that a job never reads rows that are not committed.
	 * ResqueClient.immediate() enqueues at once regardless.
	 */
	private boolean enqueueAfterCommit = true;

	/**
	 * Whether enqueued payloads carry the W3C trace context ("traceparent", "tracestate")
	 * of the current observation, so that the job's observation continues the trace. Ruby
	 * ignores the keys, but Resque.dequeue with arguments then misses those jobs.
	 */
	private boolean propagateTrace;

	public boolean isEnqueuedAt() {
		return this.enqueuedAt;
	}

	public void setEnqueuedAt(boolean enqueuedAt) {
		this.enqueuedAt = enqueuedAt;
	}

	public boolean isEnqueueAfterCommit() {
		return this.enqueueAfterCommit;
	}

	public void setEnqueueAfterCommit(boolean enqueueAfterCommit) {
		this.enqueueAfterCommit = enqueueAfterCommit;
	}

	public boolean isPropagateTrace() {
		return this.propagateTrace;
	}

	public void setPropagateTrace(boolean propagateTrace) {
		this.propagateTrace = propagateTrace;
	}

}
