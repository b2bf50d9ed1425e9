package io.github.resquepool.autoconfigure;

import java.time.Duration;

import io.github.resquepool.outbox.SchemaInitialization;

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

	private final Outbox outbox = new Outbox();

	public Outbox getOutbox() {
		return this.outbox;
	}

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

	/**
	 * The transactional outbox ({@code resque.pool.client.outbox.*}).
	 */
	public static class Outbox {

		/**
		 * Whether an enqueue inside a transaction on the application's DataSource is
		 * written to the resque_outbox table in that transaction and delivered to Redis
		 * after the commit, retried until Redis takes it. Off by default: each such
		 * enqueue costs a row insert and delete in the database and needs the table.
		 */
		private boolean enabled;

		/**
		 * When to create the resque_outbox table: "embedded" (an in-memory H2, HSQLDB or
		 * Derby), "always" (H2, PostgreSQL, MySQL, MariaDB) or "never".
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

		/**
		 * How often each application instance looks for rows whose claim ran out (left by
		 * a JVM that died or stopped) and delivers them.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * How long an instance holds the rows it wrote or took over without renewing its
		 * claim; after it, any instance delivers them.
		 */
		private Duration claimTimeout = Duration.ofSeconds(30);

		/**
		 * Age of the oldest row not delivered yet past which the resqueOutbox health
		 * contributor is DOWN.
		 */
		private Duration healthThreshold = Duration.ofSeconds(60);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getHealthThreshold() {
			return this.healthThreshold;
		}

		public void setHealthThreshold(Duration healthThreshold) {
			this.healthThreshold = healthThreshold;
		}

		public Duration getClaimTimeout() {
			return this.claimTimeout;
		}

		public void setClaimTimeout(Duration claimTimeout) {
			this.claimTimeout = claimTimeout;
		}

	}

}
