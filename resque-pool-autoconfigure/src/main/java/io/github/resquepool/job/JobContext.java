package io.github.resquepool.job;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.node.ArrayNode;

import org.springframework.util.Assert;

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
 * <p>
 * A long job saves where it got with {@link #checkpoint(Object)} and reads it back with
 * {@link #cursor(Class)} when it runs again: after a stop, a deploy, a kill of the JVM or
 * a retry it resumes there. It may report {@link #progress(long, long) progress} and ask
 * whether it was {@link #isCancelled() cancelled}.
 */
public final class JobContext {

	private final String className;

	private final String queue;

	private final String workerId;

	private final String payload;

	private final ActiveJobPayload activeJob;

	private final JobControl control;

	/**
	 * Creates the context of a plain Resque job, outside a worker.
	 * @param className the Resque class name from the payload
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text
	 */
	public JobContext(String className, String queue, String workerId, String payload) {
		this(className, queue, workerId, payload, null);
	}

	/**
	 * Creates a context outside a worker: its cursor lives in memory.
	 * @param className the Resque class name from the payload, or an ActiveJob job's
	 * {@code job_class}
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text (for an ActiveJob job, the wrapper)
	 * @param activeJob the ActiveJob job hash, or {@code null} for a plain Resque job
	 */
	public JobContext(String className, String queue, String workerId, String payload, ActiveJobPayload activeJob) {
		this(className, queue, workerId, payload, activeJob, JobControl.detached());
	}

	/**
	 * Creates a context.
	 * @param className the Resque class name from the payload, or an ActiveJob job's
	 * {@code job_class}
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text (for an ActiveJob job, the wrapper)
	 * @param activeJob the ActiveJob job hash, or {@code null} for a plain Resque job
	 * @param control what the job can ask of its worker
	 */
	public JobContext(String className, String queue, String workerId, String payload, ActiveJobPayload activeJob,
			JobControl control) {
		Assert.notNull(control, "'control' must not be null");
		this.className = className;
		this.queue = queue;
		this.workerId = workerId;
		this.payload = payload;
		this.activeJob = activeJob;
		this.control = control;
	}

	/**
	 * Creates the context of a payload, outside a worker: for an ActiveJob wrapper the
	 * class name is the Rails job class and the job hash is kept.
	 * @param className the payload's {@code class}
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text
	 * @param args the payload's {@code args}
	 * @return the context
	 */
	public static JobContext of(String className, String queue, String workerId, String payload, ArrayNode args) {
		return of(className, queue, workerId, payload, args, JobControl.detached());
	}

	/**
	 * Creates the context of a payload, as
	 * {@link #of(String, String, String, String, ArrayNode)}, with the control of the
	 * worker that runs it.
	 * @param className the payload's {@code class}
	 * @param queue the queue the job was taken from
	 * @param workerId the id of the worker running it
	 * @param payload the raw payload JSON text
	 * @param args the payload's {@code args}
	 * @param control what the job can ask of its worker
	 * @return the context
	 */
	public static JobContext of(String className, String queue, String workerId, String payload, ArrayNode args,
			JobControl control) {
		ActiveJobPayload activeJob = ActiveJobPayload.read(className, args);
		return (activeJob != null) ? new JobContext(activeJob.jobClass(), queue, workerId, payload, activeJob, control)
				: new JobContext(className, queue, workerId, payload, null, control);
	}

	/**
	 * @return the Resque class name from the payload, or an ActiveJob job's
	 * {@code job_class}
	 */
	public String className() {
		return this.className;
	}

	/**
	 * @return the queue the job was taken from
	 */
	public String queue() {
		return this.queue;
	}

	/**
	 * @return the id of the worker running it
	 */
	public String workerId() {
		return this.workerId;
	}

	/**
	 * @return the raw payload JSON text (for an ActiveJob job, the wrapper)
	 */
	public String payload() {
		return this.payload;
	}

	/**
	 * @return the ActiveJob job hash, or {@code null} for a plain Resque job
	 */
	public ActiveJobPayload activeJob() {
		return this.activeJob;
	}

	/**
	 * Reads the cursor this job saved with {@link #checkpoint(Object)} in an earlier run
	 * (a run cut at a stop, by a kill, by {@code max-run-time}, or one that failed and is
	 * retried). A job is known by its class and arguments, as resque-retry knows it.
	 * @param <T> the cursor's type
	 * @param type the cursor's type, as Jackson reads it
	 * @return the cursor, or empty on a first run
	 */
	public <T> Optional<T> cursor(Class<T> type) {
		Assert.notNull(type, "'type' must not be null");
		return this.control.cursor(type);
	}

	/**
	 * Saves where the job got, in Redis, before it returns: a kill of the JVM then
	 * repeats at most what the job did since. When the job must stop here (the pool is
	 * stopping or retires this worker, the job ran past {@code resque.pool.max-run-time},
	 * or it was cancelled), it then throws a {@link JobInterrupt}, which the pool
	 * recognises: the job goes back to its queue and resumes from this cursor.
	 * @param cursor any value Jackson writes as JSON (a number, a string, a record)
	 * @throws JobInterrupt when the job must stop at this checkpoint
	 */
	public void checkpoint(Object cursor) {
		Assert.notNull(cursor, "'cursor' must not be null");
		this.control.checkpoint(cursor);
	}

	/**
	 * Tells whether the job was cancelled (from any process, through the fleet). Its
	 * thread is interrupted too, and {@link #checkpoint(Object)} throws.
	 * @return whether the job was cancelled
	 */
	public boolean isCancelled() {
		return this.control.isCancelled();
	}

	/**
	 * Reports how far the job got, for the endpoints and the dashboard. Calls are cheap:
	 * at most one a second is written to Redis.
	 * @param done how many units are done
	 * @param total how many there are in all, 0 when unknown
	 */
	public void progress(long done, long total) {
		progress(done, total, null);
	}

	/**
	 * Reports how far the job got, with what it is doing.
	 * @param done how many units are done
	 * @param total how many there are in all, 0 when unknown
	 * @param message what it is doing, or {@code null}
	 */
	public void progress(long done, long total, String message) {
		this.control.progress(done, total, message);
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

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof JobContext that && Objects.equals(this.className, that.className)
				&& Objects.equals(this.queue, that.queue) && Objects.equals(this.workerId, that.workerId)
				&& Objects.equals(this.payload, that.payload) && Objects.equals(this.activeJob, that.activeJob));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.className, this.queue, this.workerId, this.payload, this.activeJob);
	}

	@Override
	public String toString() {
		return "JobContext[className=" + this.className + ", queue=" + this.queue + ", workerId=" + this.workerId
				+ ", payload=" + this.payload + "]";
	}

}
