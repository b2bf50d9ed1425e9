package io.github.resquepool.worker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.github.resquepool.job.ActiveJobArguments;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobControl;
import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobLimit;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.CheckpointStore;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.InvalidPayloadException;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.LimitStore;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedisException;

/**
 * Runs the jobs one worker takes, as Resque's {@code Job#perform} does: the payload is
 * read (strict UTF-8, then JSON), the job's context made and its handler looked up once,
 * then the handler invoked through the interceptors on the calling thread. The worker
 * owns what happens around the run: its timeout, its interrupt and its state.
 */
final class JobRunner {

	private static final String UNKNOWN_JOB = "<Unknown Job>";

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration LAST_RETRY = Duration.ofSeconds(5);

	private final String workerId;

	private final QueueSpec queues;

	private final JobRegistry registry;

	private final JobInvoker invoker;

	private final Duration defaultTimeout;

	private final Clock clock;

	private final CheckpointStore checkpoints;

	private final LimitStore limits;

	private final Duration maxRunTime;

	private final BooleanSupplier leaving;

	/**
	 * Creates a runner for one worker whose jobs' contexts are detached: their cursors
	 * live in memory.
	 * @param workerId the worker's Resque id
	 * @param queues the worker's queue list
	 * @param registry the job handlers
	 * @param invoker runs a job through its interceptors and handler
	 * @param defaultTimeout the timeout of jobs whose handler declares none, or
	 * {@code null}
	 * @param clock the clock
	 */
	JobRunner(String workerId, QueueSpec queues, JobRegistry registry, JobInvoker invoker, Duration defaultTimeout,
			Clock clock) {
		this(workerId, queues, new WorkerSettings(registry, invoker, null, null, defaultTimeout, null, 0, clock),
				() -> false);
	}

	/**
	 * Creates a runner for one worker.
	 * @param workerId the worker's Resque id
	 * @param queues the worker's queue list
	 * @param settings what the pool's workers share; without a checkpoint store the jobs'
	 * contexts are detached
	 * @param leaving whether the worker was asked to leave, which stops a job at its next
	 * checkpoint
	 */
	JobRunner(String workerId, QueueSpec queues, WorkerSettings settings, BooleanSupplier leaving) {
		this.workerId = workerId;
		this.queues = queues;
		this.registry = settings.registry();
		this.invoker = settings.invoker();
		this.defaultTimeout = settings.defaultTimeout();
		this.clock = settings.clock();
		this.checkpoints = settings.checkpoints();
		this.limits = settings.limits();
		this.maxRunTime = settings.maxRunTime();
		this.leaving = leaving;
	}

	/**
	 * Reads a job taken off a queue.
	 * @param job the job
	 * @return the job ready to run, or rejected when its payload cannot be read
	 */
	JobRun read(Fetch.Job job) {
		boolean included = this.queues.inclusions().contains(job.queue());
		String payload;
		JobPayload parsed;
		try {
			payload = strictUtf8(job.payload());
			parsed = JobPayload.parse(payload);
		}
		catch (InvalidPayloadException ex) {
			String text = job.payloadText();
			RunningJob running = new RunningJob(UNKNOWN_JOB, job.queue(), text, job.statusSha(), this.clock.instant(),
					null, job.sequence(), false, included);
			return new JobRun(job, text, null, null, null, running, ex, null);
		}
		Instant startedAt = this.clock.instant();
		RunControl control = (this.checkpoints != null)
				? new RunControl(this.checkpoints, this.invoker::mapper, this.workerId, job.statusSha(),
						parsed.className(), parsed.args(), startedAt, this.maxRunTime, this.leaving, this.clock)
				: null;
		JobContext context = JobContext.of(parsed.className(), job.queue(), this.workerId, payload, parsed.args(),
				(control != null) ? control : JobControl.detached());
		JobHandler handler = this.registry.find(context.className()).orElse(null);
		Duration timeout = (handler != null) ? handler.timeout() : null;
		RunningJob running = new RunningJob(context.className(), job.queue(), payload, job.statusSha(), startedAt,
				(timeout != null) ? timeout : this.defaultTimeout, job.sequence(), handler != null, included);
		return new JobRun(job, payload, parsed, context, handler, running, null, control);
	}

	/**
	 * Takes a slot of every {@link io.github.resquepool.job.ResqueLimit @ResqueLimit} the
	 * job is under before it runs. While Redis does not answer it waits (100 ms doubling
	 * to 5 s), unless its worker is leaving: then the job is not run and stays recorded
	 * at {@code worker:<id>} for the pool's stop to requeue.
	 * @param run the job, not rejected
	 * @return {@link LimitStore.Admission#ADMITTED} (also for a job under no limit, and
	 * for one whose arguments cannot be bound, which then fails as it runs), blocked, or
	 * gone
	 * @throws IllegalArgumentException when a limit's key cannot be evaluated over the
	 * job's arguments: the job fails with it
	 */
	LimitStore.Admission admit(JobRun run) {
		JobHandler handler = run.handler();
		if (handler == null || handler.limits().isEmpty() || this.limits == null) {
			return LimitStore.Admission.ADMITTED;
		}
		JobContext context = run.context();
		Object[] args = null;
		List<LimitStore.Slot> slots = new ArrayList<>(handler.limits().size());
		for (JobLimit limit : handler.limits()) {
			if (limit.keySource() == null && !context.isActiveJob()) {
				// Taken with the job, by the fetch (JobStore#limitClasses).
				continue;
			}
			String key = null;
			if (limit.keySource() != null) {
				if (args == null) {
					try {
						args = handler.bindArguments(context.isActiveJob()
								? ActiveJobArguments.deserialize(context.className(), context.activeJob().arguments())
								: run.parsed().args(), context);
					}
					catch (RuntimeException ex) {
						return LimitStore.Admission.ADMITTED;
					}
				}
				try {
					key = limit.keyOf(handler.method(), args);
				}
				catch (RuntimeException ex) {
					throw new IllegalArgumentException("The key \"" + limit.keySource() + "\" of " + limit
							+ " cannot be evaluated over the job's arguments: " + ex.getMessage(), ex);
				}
			}
			slots.add(new LimitStore.Slot(LimitStore.classLimitId(context.className(), limit.index(), key),
					limit.concurrency(), limit.rate(), limit.per(), "class", context.className(), key));
		}
		if (slots.isEmpty()) {
			return LimitStore.Admission.ADMITTED;
		}
		Duration wait = FIRST_RETRY;
		while (true) {
			try {
				return this.limits.acquire(this.workerId, run.running().statusSha(), slots);
			}
			catch (ResqueRedisException ex) {
				if (this.leaving.getAsBoolean() || Thread.currentThread().isInterrupted()) {
					return LimitStore.Admission.GONE;
				}
				try {
					Thread.sleep(wait.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return LimitStore.Admission.GONE;
				}
				wait = (wait.compareTo(LAST_RETRY.dividedBy(2)) < 0) ? wait.multipliedBy(2) : LAST_RETRY;
			}
		}
	}

	/**
	 * Runs a job that was read, with the handler found when it was read, on the calling
	 * thread.
	 * @param run the job, not rejected
	 * @return what became of it; whatever it threw, {@link VirtualMachineError}s
	 * included, is a failure
	 */
	JobResult perform(JobRun run) {
		try {
			return this.invoker.invoke(run.context(), run.parsed().args(), run.handler());
		}
		catch (Throwable ex) {
			return JobResult.failed(ex);
		}
	}

	private static String strictUtf8(byte[] bytes) {
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (text.indexOf('\uFFFD') < 0) {
			return text;
		}
		// A replacement character: either the payload holds one, or its bytes are not
		// UTF-8.
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidPayloadException("the payload is not valid UTF-8");
		}
	}

}
