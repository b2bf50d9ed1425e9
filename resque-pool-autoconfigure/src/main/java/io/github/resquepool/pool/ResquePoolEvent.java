package io.github.resquepool.pool;

import java.util.List;

import org.springframework.context.ApplicationEvent;

/**
 * An application event for each transition of the pool, published on the thread that made
 * it. Listen with {@code @EventListener} to one subtype or to all.
 */
public abstract sealed class ResquePoolEvent extends ApplicationEvent {

	private ResquePoolEvent(ResquePool pool) {
		super(pool);
	}

	/**
	 * @return the pool
	 */
	public ResquePool getPool() {
		return (ResquePool) getSource();
	}

	/** What happened to one worker. */
	public abstract static sealed class WorkerEvent extends ResquePoolEvent {

		private final String workerId;

		private final String group;

		private WorkerEvent(ResquePool pool, String workerId, String group) {
			super(pool);
			this.workerId = workerId;
			this.group = group;
		}

		/**
		 * @return the worker's id
		 */
		public String getWorkerId() {
			return this.workerId;
		}

		/**
		 * @return the worker's group
		 */
		public String getGroup() {
			return this.group;
		}

	}

	/** A worker registered in Redis and started. */
	public static final class WorkerStarted extends WorkerEvent {

		WorkerStarted(ResquePool pool, String workerId, String group) {
			super(pool, workerId, group);
		}

	}

	/** A worker left and unregistered. */
	public static final class WorkerStopped extends WorkerEvent {

		WorkerStopped(ResquePool pool, String workerId, String group) {
			super(pool, workerId, group);
		}

	}

	/** A worker's thread died; it is replaced after its group's restart backoff. */
	public static final class WorkerCrashed extends WorkerEvent {

		private final Throwable error;

		WorkerCrashed(ResquePool pool, String workerId, String group, Throwable error) {
			super(pool, workerId, group);
			this.error = error;
		}

		/**
		 * @return what ended the thread
		 */
		public Throwable getError() {
			return this.error;
		}

	}

	/** The pool or one group was paused. */
	public static final class Paused extends ResquePoolEvent {

		private final String group;

		Paused(ResquePool pool, String group) {
			super(pool);
			this.group = group;
		}

		/**
		 * @return the group, or {@code null} for the whole pool
		 */
		public String getGroup() {
			return this.group;
		}

	}

	/** The pool or one group was resumed. */
	public static final class Resumed extends ResquePoolEvent {

		private final String group;

		Resumed(ResquePool pool, String group) {
			super(pool);
			this.group = group;
		}

		/**
		 * @return the group, or {@code null} for the whole pool
		 */
		public String getGroup() {
			return this.group;
		}

	}

	/** A group's desired count changed. */
	public static final class Scaled extends ResquePoolEvent {

		private final String group;

		private final int from;

		private final int to;

		Scaled(ResquePool pool, String group, int from, int to) {
			super(pool);
			this.group = group;
			this.from = from;
			this.to = to;
		}

		/**
		 * @return the group
		 */
		public String getGroup() {
			return this.group;
		}

		/**
		 * @return the count before
		 */
		public int getFrom() {
			return this.from;
		}

		/**
		 * @return the count after
		 */
		public int getTo() {
			return this.to;
		}

	}

	/**
	 * The heap in use after garbage collections stayed above
	 * {@code resque.pool.memory-limit} for {@code resque.pool.memory-limit-grace}: the
	 * pool drains as on SIGTERM and the application exits with a non-zero status, so that
	 * Heroku, systemd or Kubernetes start a fresh one.
	 */
	public static final class MemoryLimitExceeded extends ResquePoolEvent {

		private final long usedBytes;

		private final long limitBytes;

		private final String reason;

		MemoryLimitExceeded(ResquePool pool, long usedBytes, long limitBytes, String reason) {
			super(pool);
			this.usedBytes = usedBytes;
			this.limitBytes = limitBytes;
			this.reason = reason;
		}

		/**
		 * @return the heap in use after the last garbage collection, in bytes
		 */
		public long getUsedBytes() {
			return this.usedBytes;
		}

		/**
		 * @return the limit, in bytes
		 */
		public long getLimitBytes() {
			return this.limitBytes;
		}

		/**
		 * @return why the pool drains
		 */
		public String getReason() {
			return this.reason;
		}

	}

	/** A reload converged the pool to a new configuration. */
	public static final class Reloaded extends ResquePoolEvent {

		private final List<String> changes;

		Reloaded(ResquePool pool, List<String> changes) {
			super(pool);
			this.changes = List.copyOf(changes);
		}

		/**
		 * @return what changed, one line per group
		 */
		public List<String> getChanges() {
			return this.changes;
		}

	}

}
