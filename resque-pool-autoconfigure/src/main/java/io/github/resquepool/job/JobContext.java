package io.github.resquepool.job;

import java.time.Instant;

import tools.jackson.databind.node.ArrayNode;

/**
 * The job being run, for a handler that declares it as a parameter (anywhere in its
 * signature; it takes no positional argument) and for {@link JobInterceptor
 * interceptors}.
 * <p>
 * For a Rails ActiveJob job ({@link ActiveJobPayload#WRAPPER_CLASS}),
 * {@link #className()} is the Rails job class ({@code job_class}) the handler is
 * registered with, {@link #activeJob()} holds the job hash, and {@link #jobId()},
 * {@link #executions()}, {@link #enqueuedAt()}, {@link #locale()} and
 * {@link #providerJobId()} tell its values; for a plain Resque job they are {@code null}.
 *
 * @param className the Resque class name from the payload, or an ActiveJob job's
 * {@code job_class}
 * @param queue the queue the job was taken from
 * @param workerId the id of the worker running it
 * @param payload the raw payload JSON text (for an ActiveJob job, the wrapper)
 * @param activeJob the ActiveJob job hash, or {@code null} for a plain Resque job
 */
public record JobContext(String className, String queue, String workerId, String payload, ActiveJobPayload activeJob) {

	/**
	 * Creates the context of a plain Resque job.
	 * @param className the Resque class name from the payload
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text
	 */
	public JobContext(String className, String queue, String workerId, String payload) {
		this(className, queue, workerId, payload, null);
	}

	/**
	 * Creates the context of a payload: for an ActiveJob wrapper the class name is the
	 * Rails job class and the job hash is kept.
	 * @param className the payload's {@code class}
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text
	 * @param args the payload's {@code args}
	 * @return the context
	 */
	public static JobContext of(String className, String queue, String workerId, String payload, ArrayNode args) {
		ActiveJobPayload activeJob = ActiveJobPayload.read(className, args);
		return (activeJob != null) ? new JobContext(activeJob.jobClass(), queue, workerId, payload, activeJob)
				: new JobContext(className, queue, workerId, payload, null);
	}

	/**
	 * Tells whether the job came from Rails' ActiveJob.
	 * @return whether {@link #activeJob()} is set
	 */
	public boolean isActiveJob() {
		return this.activeJob != null;
	}

	/**
	 * Returns ActiveJob's {@code job_id}.
	 * @return the UUID, or {@code null} for a plain Resque job
	 */
	public String jobId() {
		return (this.activeJob != null) ? this.activeJob.jobId() : null;
	}

	/**
	 * Returns ActiveJob's {@code executions}: how many times Rails ran the job before.
	 * @return the count (0 on a first run), or {@code null} for a plain Resque job
	 */
	public Integer executions() {
		return (this.activeJob != null) ? this.activeJob.executions() : null;
	}

	/**
	 * Returns ActiveJob's {@code enqueued_at}.
	 * @return the time, or {@code null} when absent
	 */
	public Instant enqueuedAt() {
		return (this.activeJob != null) ? this.activeJob.enqueuedAt() : null;
	}

	/**
	 * Returns ActiveJob's {@code locale}.
	 * @return the locale, e.g. {@code en}, or {@code null} when absent
	 */
	public String locale() {
		return (this.activeJob != null) ? this.activeJob.locale() : null;
	}

	/**
	 * Returns ActiveJob's {@code provider_job_id}.
	 * @return the id, or {@code null} when absent (always with Resque's adapter)
	 */
	public String providerJobId() {
		return (this.activeJob != null) ? this.activeJob.providerJobId() : null;
	}

}
