package io.github.resquepool.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.job.JobResult;

/**
 * A {@link ResqueClient} without Redis for tests, in the manner of Sidekiq's
 * {@code Testing.fake!} and {@code Testing.inline!}:
 * <ul>
 * <li>{@link Mode#FAKE} (the default) records every enqueue ({@link #jobs()}) and runs
 * nothing;</li>
 * <li>{@link Mode#INLINE} also performs each immediate enqueue at once, on the calling
 * thread, through a {@link ResqueJobTester}, and throws when the job fails.</li>
 * </ul>
 * Enqueues inside a transaction are recorded at once (there is no after-commit deferral).
 * Declare it as a {@code @Primary} bean or with {@code @TestConfiguration}.
 */
public class RecordingResqueClient extends ResqueClient {

	/** What the client does with an enqueue. */
	public enum Mode {

		/** Record it. */
		FAKE,

		/** Record it and perform it at once. */
		INLINE

	}

	private final List<EnqueuedJob> jobs = new CopyOnWriteArrayList<>();

	private final ResqueJobTester tester;

	private volatile Mode mode;

	/**
	 * Creates a recording client in {@link Mode#FAKE}.
	 * @param mapper the mapper arguments are written with
	 */
	public RecordingResqueClient(JsonMapper mapper) {
		this(mapper, null, Mode.FAKE);
	}

	/**
	 * Creates a recording client.
	 * @param mapper the mapper arguments are written with
	 * @param tester what performs jobs in {@link Mode#INLINE}, may be {@code null} for
	 * fake only
	 * @param mode the initial mode
	 */
	public RecordingResqueClient(JsonMapper mapper, ResqueJobTester tester, Mode mode) {
		super(null, mapper, false, false);
		this.tester = tester;
		this.mode = mode;
	}

	/** Records only, from now on. */
	public void fake() {
		this.mode = Mode.FAKE;
	}

	/** Records and performs at once, from now on. */
	public void inline() {
		if (this.tester == null) {
			throw new IllegalStateException("inline mode needs a ResqueJobTester");
		}
		this.mode = Mode.INLINE;
	}

	/**
	 * @return the recorded enqueues, oldest first
	 */
	public List<EnqueuedJob> jobs() {
		return List.copyOf(this.jobs);
	}

	/**
	 * @param queue a queue
	 * @return the recorded enqueues to it
	 */
	public List<EnqueuedJob> jobs(String queue) {
		return this.jobs.stream().filter((job) -> job.queue().equals(queue)).toList();
	}

	/** Forgets the recorded enqueues. */
	public void clear() {
		this.jobs.clear();
	}

	@Override
	public long enqueue(String queue, String className, Object... args) {
		record(new EnqueuedJob(queue, className, payload(className, args), null));
		return jobs(queue).size();
	}

	@Override
	public String enqueueActiveJob(String queue, String jobClass, Object... args) {
		String jobId = UUID.randomUUID().toString();
		record(new EnqueuedJob(queue, jobClass, activeJobPayload(queue, jobClass, jobId, args), null));
		return jobId;
	}

	@Override
	public void enqueueAt(String queue, Instant at, String className, Object... args) {
		this.jobs.add(new EnqueuedJob(queue, className, payload(className, args), at));
	}

	@Override
	public void enqueueIn(String queue, Duration delay, String className, Object... args) {
		enqueueAt(queue, Instant.now().plus(delay), className, args);
	}

	@Override
	public String enqueueActiveJobAt(String queue, Instant at, String jobClass, Object... args) {
		String jobId = UUID.randomUUID().toString();
		this.jobs.add(new EnqueuedJob(queue, jobClass, activeJobPayload(queue, jobClass, jobId, args), at));
		return jobId;
	}

	@Override
	public String enqueueActiveJobIn(String queue, Duration delay, String jobClass, Object... args) {
		return enqueueActiveJobAt(queue, Instant.now().plus(delay), jobClass, args);
	}

	@Override
	public ResqueClient immediate() {
		return this;
	}

	private void record(EnqueuedJob job) {
		this.jobs.add(job);
		if (this.mode == Mode.INLINE) {
			JobResult result = this.tester.performPayload(job.queue(), job.payload());
			if (result.outcome() == JobResult.Outcome.FAILED) {
				throw new IllegalStateException("inline job " + job.className() + " failed: " + result.error(),
						result.error());
			}
		}
	}

}
