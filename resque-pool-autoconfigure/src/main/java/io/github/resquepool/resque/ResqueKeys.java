package io.github.resquepool.resque;

/**
 * The Redis key names Resque uses under one namespace, and the keys this pool adds under
 * {@code <namespace>:resquepool:}. Every key that Ruby Resque and resque-web read is
 * named exactly as in Resque 2.x/3.x ({@code lib/resque/data_store.rb}).
 *
 * @param namespace the key prefix without the trailing colon, {@code resque} by default;
 * empty for no prefix
 */
public record ResqueKeys(String namespace) {

	/** Resque's default namespace. */
	public static final String DEFAULT_NAMESPACE = "resque";

	/**
	 * Creates the key names for a namespace.
	 * @param namespace the key prefix without the trailing colon; empty for no prefix
	 */
	public ResqueKeys {
		if (namespace == null) {
			throw new IllegalArgumentException("namespace must not be null");
		}
	}

	/**
	 * Returns the full name of a key of this namespace.
	 * @param key the key without namespace
	 * @return the key with the namespace prefix
	 */
	public String key(String key) {
		return this.namespace.isEmpty() ? key : this.namespace + ":" + key;
	}

	/**
	 * @return the prefix every key of this namespace starts with ({@code resque:})
	 */
	public String prefix() {
		return this.namespace.isEmpty() ? "" : this.namespace + ":";
	}

	/**
	 * @return the set of queue names
	 */
	public String queues() {
		return key("queues");
	}

	/**
	 * @param queue a queue name
	 * @return the list holding the queue's payloads
	 */
	public String queue(String queue) {
		return key("queue:" + queue);
	}

	/**
	 * @return the set of registered worker ids
	 */
	public String workers() {
		return key("workers");
	}

	/**
	 * @param workerId a worker id
	 * @return the string holding the worker's current job while it works one
	 */
	public String worker(String workerId) {
		return key("worker:" + workerId);
	}

	/**
	 * @param workerId a worker id
	 * @return the string holding the worker's registration time
	 */
	public String workerStarted(String workerId) {
		return key("worker:" + workerId + ":started");
	}

	/**
	 * @return the hash of worker id to last heartbeat
	 */
	public String heartbeats() {
		return key("workers:heartbeat");
	}

	/**
	 * @return the lock Ruby takes while it prunes dead workers
	 */
	public String pruneLock() {
		return key("pruning_dead_workers_in_progress");
	}

	/**
	 * @return the counter of finished jobs
	 */
	public String processed() {
		return key("stat:processed");
	}

	/**
	 * @param workerId a worker id
	 * @return the worker's counter of finished jobs
	 */
	public String processed(String workerId) {
		return key("stat:processed:" + workerId);
	}

	/**
	 * @return the counter of failed jobs
	 */
	public String failedCount() {
		return key("stat:failed");
	}

	/**
	 * @param workerId a worker id
	 * @return the worker's counter of failed jobs
	 */
	public String failedCount(String workerId) {
		return key("stat:failed:" + workerId);
	}

	/**
	 * @return the list of failure entries
	 */
	public String failed() {
		return key("failed");
	}

	/**
	 * @return the flag that pauses every Ruby and Java worker
	 */
	public String pauseAllWorkers() {
		return key("pause-all-workers");
	}

	/**
	 * @return the sorted set of live pools, scored by their last beat in milliseconds
	 */
	public String pools() {
		return key("resquepool:pools");
	}

	/**
	 * @param poolId a pool id
	 * @return the hash describing one pool (host, pid, start time)
	 */
	public String pool(String poolId) {
		return key("resquepool:pool:" + poolId);
	}

	/**
	 * @param poolId a pool id
	 * @return the set of worker ids one pool has registered
	 */
	public String poolWorkers(String poolId) {
		return key("resquepool:pool:" + poolId + ":workers");
	}

	/**
	 * @return the pub/sub channel on which fleet writes announce the fleet's new version
	 */
	public String fleetChannel() {
		return key("resquepool:fleet");
	}

	/**
	 * @return the pub/sub channel on which the client announces the queue of each enqueue
	 */
	public String enqueuedChannel() {
		return key("resquepool:enqueued");
	}

}
