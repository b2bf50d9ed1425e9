package io.github.resquepool.worker;

import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.LimitStore;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.resque.Turn;

/**
 * One Resque worker: a loop on its own thread that hands its group's fetcher the outcome
 * of its last job and gets the next (one atomic Redis step), runs it, and repeats. While
 * it waits it neither polls nor holds a connection; its supervisor wakes it.
 * <p>
 * A job's failure, whatever it throws, is a failure entry and the worker goes on; only a
 * {@link VirtualMachineError} (out of memory, stack overflow) ends the worker after its
 * job was recorded. A timeout interrupts the job it was set for and no other: the
 * interrupt is sent and cleared under the same lock that starts and ends a job.
 * <p>
 * The worker owns the loop, the job's timeout, interrupt and state; a {@link JobRunner}
 * reads and runs each job, and a {@link RetryDecision} decides the outcome its next turn
 * records.
 */
public final class Worker implements Runnable {

	private final String id;

	private final String group;

	private final QueueSpec queues;

	private final GroupFetcher turns;

	private final JobRunner jobs;

	private final RetryDecision retries;

	private final WorkerSupervisor supervisor;

	private final int maxJobs;

	/** How many jobs this worker ran; only its thread uses it. */
	private int jobsRun;

	/** The control of the job it runs, or {@code null}. */
	private volatile RunControl control;

	private final AtomicReference<RunningJob> current = new AtomicReference<>();

	private final Semaphore wake = new Semaphore(0);

	private volatile WorkerState state = WorkerState.STARTING;

	private volatile Thread thread;

	/** Guards the start and end of a job against a timeout's interrupt. */
	private final ReentrantLock jobLock = new ReentrantLock();

	/** The job a timeout interrupted, guarded by {@link #jobLock}. */
	private RunningJob timedOut;

	private volatile String timeoutStack;

	/**
	 * A failure with retries whose outcome awaits recording; only the worker's thread
	 * uses it.
	 */
	private Retried retried;

	/**
	 * Creates a worker; it does nothing until {@link #run()} runs on its thread.
	 * @param id its Resque worker id
	 * @param group the name of its group
	 * @param queues its queue list
	 * @param turns runs the worker's Redis turns, batched with its group's, on the
	 * group's fetcher
	 * @param supervisor the pool side
	 * @param settings what the pool's workers share
	 */
	public Worker(String id, String group, QueueSpec queues, GroupFetcher turns, WorkerSupervisor supervisor,
			WorkerSettings settings) {
		this.id = id;
		this.group = group;
		this.queues = queues;
		this.turns = turns;
		this.supervisor = supervisor;
		this.jobs = new JobRunner(id, queues, settings, () -> !supervisor.keepRunning(this));
		this.retries = new RetryDecision(id);
		this.maxJobs = settings.maxJobs();
	}

	/**
	 * Runs the worker loop until the supervisor asks it to leave. A
	 * {@link VirtualMachineError} thrown by a job is recorded as the job's failure and
	 * then ends the loop by propagating, so the supervisor replaces the worker.
	 */
	@Override
	public void run() {
		this.thread = Thread.currentThread();
		Outcome pending = null;
		int failures = 0;
		try {
			while (true) {
				boolean leaving = retiring() || !this.supervisor.keepRunning(this);
				boolean fetch = !leaving && !this.supervisor.isPaused(this);
				if (leaving && pending == null) {
					return;
				}
				if (!fetch && pending == null) {
					pause();
					continue;
				}
				Fetch found;
				try {
					found = this.turns.turn(new Turn(this.id, pending, fetch));
					pending = null;
					failures = 0;
					reportRetried();
				}
				catch (ResqueRedisException ex) {
					if (Thread.currentThread().isInterrupted() || leaving) {
						// A leaving worker does not wait for Redis: its last job stays
						// recorded at
						// worker:<id>, and a live pool requeues it once this pool stops
						// beating.
						return;
					}
					this.supervisor.redisUnavailable(this, ex, ++failures);
					continue;
				}
				if (!fetch) {
					if (!leaving) {
						pause();
					}
					continue;
				}
				switch (found) {
					case Fetch.Job job -> {
						this.supervisor.tookJob(this);
						pending = perform(job);
					}
					case Fetch.Idle idle -> {
						if (!idle.unreadableQueues().isEmpty()) {
							this.supervisor.unreadableQueues(this, idle.unreadableQueues());
						}
						changeState(WorkerState.IDLE);
						this.supervisor.awaitWork(this);
					}
					case Fetch.Paused paused -> pause();
					case Fetch.Unregistered unregistered -> {
						changeState(WorkerState.IDLE);
						this.supervisor.awaitRegistration(this);
					}
					case Fetch.Recorded recorded -> {
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			changeState(WorkerState.STOPPED);
		}
	}

	private void pause() throws InterruptedException {
		changeState(WorkerState.PAUSED);
		this.supervisor.awaitWork(this);
	}

	private Outcome perform(Fetch.Job job) {
		JobRun run = this.jobs.read(job);
		RunningJob running = run.running();
		if (run.rejection() != null) {
			JobResult result = JobResult.failed(run.rejection());
			this.supervisor.jobFinished(this, running, result);
			return this.retries.outcome(run, result, false);
		}
		LimitStore.Admission admission;
		try {
			admission = this.jobs.admit(run);
		}
		catch (IllegalArgumentException ex) {
			JobResult result = JobResult.failed(ex);
			this.supervisor.jobFinished(this, running, result);
			return this.retries.outcome(run, result, false);
		}
		if (admission.kind() != LimitStore.Admission.Kind.ADMITTED) {
			if (admission.kind() == LimitStore.Admission.Kind.BLOCKED) {
				this.supervisor.jobBlocked(this, running, admission.limit(), admission.reason());
			}
			return null;
		}
		this.jobLock.lock();
		try {
			// An interrupt left from before (a timeout that lost its race, a stray one)
			// is not this job's.
			Thread.interrupted();
			this.current.set(running);
			this.control = run.control();
		}
		finally {
			this.jobLock.unlock();
		}
		this.jobsRun++;
		changeState(WorkerState.WORKING);
		long allocatedBefore = ThreadAllocation.current();
		JobResult result = this.jobs.perform(run).withAllocatedBytes(ThreadAllocation.since(allocatedBefore));
		VirtualMachineError fatal = fatalCause(result.error());
		boolean overdue;
		boolean mine;
		this.jobLock.lock();
		try {
			overdue = this.timedOut == running;
			this.timedOut = null;
			mine = this.current.compareAndSet(running, null);
			this.control = null;
			// The job is over: an interrupt sent for it must not reach the next turn or
			// job.
			Thread.interrupted();
		}
		finally {
			this.jobLock.unlock();
		}
		if (!mine) {
			return null;
		}
		if (overdue && result.outcome() == JobResult.Outcome.FAILED) {
			result = JobResult.failed(new JobTimeoutException(running.className(), running.timeout()));
		}
		else if (fatal == null) {
			Outcome stopped = stoppedAtCheckpoint(run, result);
			if (stopped != null) {
				return stopped;
			}
		}
		RunControl ran = run.control();
		Outcome outcome = this.retries.outcome(run, result, fatal != null)
			.withCheckpoint((ran != null) ? ran.touchedKey() : null);
		if (outcome.retry() != null) {
			// A failure that may run again is reported once its recording has decided
			// between a retry and a failure entry.
			this.retried = new Retried(running, result, outcome.retry());
		}
		else {
			this.supervisor.jobFinished(this, running, result);
		}
		if (fatal != null) {
			recordNow(outcome);
			throw fatal;
		}
		return outcome;
	}

	/**
	 * The outcome of a job that stopped at a checkpoint: back to its queue (the head for
	 * a stop, the tail past {@code max-run-time}), or a {@code ResquePool::JobCancelled}
	 * failure entry, never retried.
	 */
	private Outcome stoppedAtCheckpoint(JobRun run, JobResult result) {
		RunControl ran = run.control();
		if (ran == null) {
			return null;
		}
		RunningJob running = run.running();
		JobCancel cancel = ran.cancelled();
		if (cancel != null) {
			// However it ended once cancelled, it ends as cancelled.
			this.supervisor.jobFinished(this, running,
					JobResult.failed(new JobInterrupt(JobInterrupt.Reason.CANCELLED, cancel.describe())));
			return Outcome.failed(running.statusSha(),
					JobFailure.cancelled(cancel, this.id, running.queue(), run.payload()));
		}
		JobInterrupt interrupt = (result.outcome() == JobResult.Outcome.FAILED) ? JobInterrupt.in(result.error())
				: null;
		if (interrupt == null) {
			return null;
		}
		boolean head = interrupt.reason() != JobInterrupt.Reason.MAX_RUN_TIME;
		this.supervisor.jobRequeued(this, running, interrupt);
		return Outcome.requeued(running.statusSha(), head);
	}

	private boolean retiring() {
		return this.maxJobs > 0 && this.jobsRun >= this.maxJobs;
	}

	/**
	 * Cancels the job this worker runs, but only while it runs that very job:
	 * {@link io.github.resquepool.job.JobContext#isCancelled()} turns true, the next
	 * checkpoint throws, and the job's thread is interrupted.
	 * @param statusSha the SHA-1 of the working status of the job to cancel
	 * @param cancel who cancels it and when
	 * @return whether the worker was running that job
	 */
	public boolean cancel(String statusSha, JobCancel cancel) {
		this.jobLock.lock();
		try {
			RunningJob job = this.current.get();
			RunControl running = this.control;
			Thread thread = this.thread;
			if (job == null || running == null || thread == null || !job.statusSha().equals(statusSha)) {
				return false;
			}
			running.cancel(cancel);
			thread.interrupt();
			return true;
		}
		finally {
			this.jobLock.unlock();
		}
	}

	/**
	 * @return the cancel of the job this worker runs, or {@code null}
	 */
	public JobCancel cancelOfCurrentJob() {
		RunControl running = this.control;
		return (running != null) ? running.cancelled() : null;
	}

	/**
	 * Writes the progress its job reported last, when a report was held back by the write
	 * interval; the pool calls it on every beat.
	 */
	public void writeProgress() {
		RunControl running = this.control;
		if (running != null) {
			running.writeProgress();
		}
	}

	/**
	 * What the job this worker runs saved of itself.
	 * @return its cursor and progress, or {@code null} when it runs none, or saved and
	 * reported nothing
	 */
	public Checkpoint checkpointOfCurrentJob() {
		RunControl running = this.control;
		if (running == null || (running.cursorJson() == null && running.progressReport() == null)) {
			return null;
		}
		return new Checkpoint(running.cursorJson(), running.cursorSavedAt(), this.id, running.progressReport());
	}

	/**
	 * Tells the supervisor what became of a failure with retries, once its outcome is
	 * recorded.
	 */
	private void reportRetried() {
		Retried done = this.retried;
		if (done == null) {
			return;
		}
		this.retried = null;
		Outcome.Decision decision = done.retry().decision();
		if (decision != null && decision.retried()) {
			this.supervisor.jobRetried(this, done.job(), done.result().error(), decision.attempt(),
					Instant.ofEpochSecond(decision.bucket()));
		}
		else {
			this.supervisor.jobFinished(this, done.job(), done.result());
		}
	}

	private static VirtualMachineError fatalCause(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof VirtualMachineError fatal) {
				return fatal;
			}
		}
		return null;
	}

	private void recordNow(Outcome outcome) {
		try {
			this.turns.turn(new Turn(this.id, outcome, false));
		}
		catch (RuntimeException ex) {
			// The job stays recorded at worker:<id>; the pool requeues it when it
			// unregisters this worker.
		}
	}

	/**
	 * Takes the worker's running job away from it, for the pool to requeue or record:
	 * from then on the worker records nothing for that job. Exactly one of the worker and
	 * the pool gets a job.
	 * @return the job, or {@code null} when the worker is not running one (or just
	 * finished it)
	 */
	public RunningJob takeOver() {
		RunningJob job = this.current.get();
		return (job != null && this.current.compareAndSet(job, null)) ? job : null;
	}

	/**
	 * Takes a given job away from the worker, as {@link #takeOver()}, but only while it
	 * still runs that very job.
	 * @param job the job
	 * @return whether the worker was running it and the caller now owns it
	 */
	public boolean takeOver(RunningJob job) {
		return this.current.compareAndSet(job, null);
	}

	/**
	 * Interrupts a job because it ran past its timeout, if the worker still runs that
	 * very job; the job is then recorded as a failure with a {@link JobTimeoutException}.
	 * A job that ended meanwhile is left alone, and so is the job after it.
	 * @param job the job that ran past its timeout
	 * @param stack the thread's stack at the timeout, kept for the pool's status
	 * @return whether the job was interrupted
	 */
	public boolean interruptForTimeout(RunningJob job, String stack) {
		this.jobLock.lock();
		try {
			Thread running = this.thread;
			if (this.current.get() != job || running == null) {
				return false;
			}
			this.timeoutStack = stack;
			this.timedOut = job;
			running.interrupt();
			return true;
		}
		finally {
			this.jobLock.unlock();
		}
	}

	/**
	 * @return the stack of the worker's thread when its last job ran past its timeout, or
	 * {@code null}
	 */
	public String timeoutStack() {
		return this.timeoutStack;
	}

	/** Interrupts the worker's thread. */
	public void interrupt() {
		Thread running = this.thread;
		if (running != null) {
			running.interrupt();
		}
	}

	/** Wakes the worker if it waits for work; a wake-up before it waits is kept. */
	public void wake() {
		if (this.wake.availablePermits() == 0) {
			this.wake.release();
		}
	}

	/**
	 * Waits until {@link #wake()} is called (or was called since the last wait).
	 * @throws InterruptedException when interrupted
	 */
	public void awaitWake() throws InterruptedException {
		this.wake.acquire();
		this.wake.drainPermits();
	}

	/**
	 * Marks the worker stuck: its job ignored the interrupt and a replacement takes its
	 * slot.
	 */
	public void markStuck() {
		changeState(WorkerState.STUCK);
	}

	private void changeState(WorkerState next) {
		WorkerState previous = this.state;
		if (previous == next || previous == WorkerState.STUCK && next != WorkerState.STOPPED) {
			return;
		}
		this.state = next;
		this.supervisor.stateChanged(this, previous, next);
	}

	/**
	 * @return the Resque worker id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * @return the name of the worker's group
	 */
	public String group() {
		return this.group;
	}

	/**
	 * @return the worker's queue list
	 */
	public QueueSpec queues() {
		return this.queues;
	}

	/**
	 * @return what the worker is doing
	 */
	public WorkerState state() {
		return this.state;
	}

	/**
	 * @return the job it runs, or {@code null}
	 */
	public RunningJob currentJob() {
		return this.current.get();
	}

	/**
	 * @return the worker's thread once it runs, else {@code null}
	 */
	public Thread thread() {
		return this.thread;
	}

	@Override
	public String toString() {
		return this.id;
	}

	private record Retried(RunningJob job, JobResult result, Outcome.Retry retry) {
	}

}
