package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.worker.GroupFetcher;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;
import io.github.resquepool.worker.WorkerSupervisor;

/**
 * One named group of workers on one queue list, kept at its desired count: it starts
 * workers (one at a time when a start interval is set), lets leaving workers finish their
 * job, replaces crashed ones after a backoff, and wakes idle ones. Idle workers park
 * without touching Redis; a single wake-up at a time goes to one of them (an enqueue
 * announced on the wake channel, the poll tick, or a sibling that just took a job), so an
 * idle group costs one fetch per poll interval whatever its size. Its Redis turns all go
 * through its {@link GroupFetcher}.
 * <p>
 * Convergence (starting and retiring workers) always runs on the scheduler it is given
 * (the pool's supervisor thread): {@link #converge()} only asks for it, so no caller
 * waits on Redis for a worker's registration.
 * <p>
 * A group runs alone, as a listener container's child consumer does: it depends only on
 * the collaborators of its {@link GroupContext}, never on the pool that holds it.
 */
final class WorkerGroup implements WorkerSupervisor, IdleGroup {

	private static final Log logger = LogFactory.getLog(WorkerGroup.class);

	private final GroupContext context;

	private final PoolSettings settings;

	private final PoolState pool;

	private final String name;

	private final QueueSpec queues;

	private final List<Worker> workers = new CopyOnWriteArrayList<>();

	private final Set<Worker> leaving = ConcurrentHashMap.newKeySet();

	private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

	private final AtomicBoolean pendingWake = new AtomicBoolean();

	private final ReentrantLock lock = new ReentrantLock();

	private final Backoff backoff;

	private volatile int desired;

	private volatile boolean paused;

	private volatile boolean retired;

	private volatile Instant nextStart = Instant.MIN;

	private volatile Duration currentBackoff = Duration.ZERO;

	private final GroupFetcher fetcher;

	private final OutageBackoff outageBackoff = new OutageBackoff();

	private volatile WorkerGroup predecessor;

	/** Fetches that ended (a job taken or nothing found), for the blocking waiter. */
	private final AtomicLong fetches = new AtomicLong();

	/** Jobs its workers took, for the blocking waiter. */
	private final AtomicLong taken = new AtomicLong();

	private final AtomicBoolean convergeRequested = new AtomicBoolean();

	private volatile GroupWaiter waiter;

	private volatile WorkerGroup successor;

	/**
	 * Creates a group; no worker starts before {@link #converge()}.
	 * @param group the group's name, queues and count
	 * @param context its collaborators
	 */
	WorkerGroup(GroupSettings group, GroupContext context) {
		this.context = context;
		this.settings = context.settings();
		this.pool = context.pool();
		this.name = group.name();
		this.queues = group.queues();
		this.desired = group.count();
		this.backoff = new Backoff(this.settings.restartBackoff(), this.settings.maxRestartBackoff());
		this.fetcher = context.launcher().fetcher(this.name, this.queues);
	}

	GroupFetcher fetcher() {
		return this.fetcher;
	}

	/** Starts blocking waiters on the group's queues (a static list only). */
	void startWaiter(ResqueRedis redis) {
		if (this.waiter == null && !this.queues.isDynamic() && !this.retired) {
			this.waiter = new GroupWaiter(this, redis, this.queues.inclusions(), this.context.launcher().threads());
		}
	}

	@Override
	public long jobsTaken() {
		return this.taken.get();
	}

	@Override
	public Duration pollInterval() {
		return this.settings.pollInterval();
	}

	@Override
	public long fetches() {
		return this.fetches.get();
	}

	@Override
	public boolean pausedForWaiting() {
		return this.paused || this.pool.isPaused() || this.pool.intakeHeld();
	}

	private void closeWaiter() {
		GroupWaiter current = this.waiter;
		this.waiter = null;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public String name() {
		return this.name;
	}

	QueueSpec queues() {
		return this.queues;
	}

	int desired() {
		return this.desired;
	}

	boolean paused() {
		return this.paused;
	}

	Duration currentBackoff() {
		return Instant.now().isBefore(this.nextStart) ? this.currentBackoff : Duration.ZERO;
	}

	int crashes() {
		this.lock.lock();
		try {
			return this.backoff.crashes();
		}
		finally {
			this.lock.unlock();
		}
	}

	List<Worker> workers() {
		return List.copyOf(this.workers);
	}

	/** Counts the workers that stay: not leaving, not stuck. */
	int live() {
		return (int) this.workers.stream().filter(this::counts).count();
	}

	/**
	 * @return the workers whose job ignored its timeout's interrupt and whose thread
	 * still runs
	 */
	int stuck() {
		return (int) this.workers.stream().filter((w) -> w.state() == WorkerState.STUCK).count();
	}

	private boolean counts(Worker worker) {
		return !this.leaving.contains(worker) && worker.state() != WorkerState.STUCK;
	}

	void setDesired(int count) {
		this.desired = count;
		converge();
	}

	void setPaused(boolean paused) {
		this.paused = paused;
		wakeAll();
	}

	/**
	 * Asks the supervisor thread to start or retire workers until the group has its
	 * desired count.
	 */
	void converge() {
		PoolThread scheduler = this.context.scheduler();
		if (scheduler.isStopped() || !this.convergeRequested.compareAndSet(false, true)) {
			return;
		}
		scheduler.execute("start of workers", () -> {
			this.convergeRequested.set(false);
			convergeNow();
		});
	}

	/** Converges after a delay (a crash backoff, a start interval). */
	private void scheduleConverge(Duration delay) {
		this.context.scheduler().schedule(delay, this::converge);
	}

	/**
	 * Starts or retires workers until the group has its desired count; runs on the
	 * supervisor thread, on every change and tick.
	 */
	void convergeNow() {
		if (!this.lock.tryLock()) {
			return;
		}
		try {
			if (this.retired || !this.pool.canStartWorkers()) {
				return;
			}
			int live = live();
			if (live > this.desired) {
				retire(live - this.desired);
				return;
			}
			int missing = this.desired - live - waitingFor();
			Instant now = Instant.now();
			if (missing <= 0 || now.isBefore(this.nextStart) || stuck() > this.settings.maxStuckWorkers()) {
				return;
			}
			Duration interval = this.settings.startInterval();
			int batch = interval.isZero() ? missing : 1;
			List<Worker> started = startWorkers(batch);
			if (!interval.isZero() && !started.isEmpty()) {
				this.nextStart = now.plus(interval);
				scheduleConverge(interval);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Registers new workers in Redis, then starts their threads. */
	private List<Worker> startWorkers(int count) {
		List<Worker> started = this.context.launcher().register(this.name, this.queues, this.fetcher, this, count);
		for (Worker worker : started) {
			this.workers.add(worker);
			this.context.launcher().start(worker, () -> run(worker));
			this.context.events().workerStarted(this.name, worker.id());
		}
		return started;
	}

	private void run(Worker worker) {
		Throwable crash = null;
		try {
			worker.run();
		}
		catch (Throwable ex) {
			crash = ex;
		}
		finally {
			this.context.launcher().unregister(worker);
			this.context.events().workerExited(this.name, worker.id(), crash);
			exited(worker, crash);
		}
	}

	private void retire(int count) {
		List<Worker> candidates = new ArrayList<>(this.workers.stream().filter(this::counts).toList());
		candidates.sort((a, b) -> Boolean.compare(a.state() == WorkerState.WORKING, b.state() == WorkerState.WORKING));
		for (Worker worker : candidates.subList(0, Math.min(count, candidates.size()))) {
			this.leaving.add(worker);
			worker.wake();
		}
	}

	/**
	 * Asks every worker to leave after its current job, for a stop or a removed group.
	 */
	void retireAll() {
		this.lock.lock();
		try {
			this.retired = true;
			closeWaiter();
			if (this.workers.isEmpty()) {
				this.fetcher.close();
			}
			this.workers.forEach((worker) -> {
				this.leaving.add(worker);
				worker.wake();
			});
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Makes this retired group hand its place to a replacement: the replacement counts
	 * this group's workers that are not running a job, so the total never exceeds the new
	 * count plus the workers still finishing a job.
	 */
	void handOverTo(WorkerGroup replacement) {
		this.successor = replacement;
		replacement.predecessor = this;
	}

	private int waitingFor() {
		WorkerGroup previous = this.predecessor;
		if (previous == null) {
			return 0;
		}
		int blocking = (int) previous.workers.stream()
			.filter((w) -> w.state() != WorkerState.WORKING && w.state() != WorkerState.STOPPED)
			.count();
		if (blocking == 0 && previous.workers.isEmpty()) {
			this.predecessor = null;
		}
		return blocking;
	}

	/** A worker's thread ended, normally or by a crash. */
	private void exited(Worker worker, Throwable crash) {
		// Under the lock that convergeNow counts under: counted between the two removals,
		// from a snapshot of the list that still held it, a leaving worker would pass for
		// one that stays, and a worker that should stay would be retired in its place.
		this.lock.lock();
		try {
			this.workers.remove(worker);
			this.leaving.remove(worker);
		}
		finally {
			this.lock.unlock();
		}
		this.idle.remove(worker);
		this.outageBackoff.forget(worker);
		if (this.retired && this.workers.isEmpty()) {
			this.fetcher.close();
			closeWaiter();
		}
		if (crash != null && !this.retired) {
			Duration delay;
			this.lock.lock();
			try {
				delay = this.backoff.crashed(Instant.now());
				this.currentBackoff = delay;
				this.nextStart = Instant.now().plus(delay);
			}
			finally {
				this.lock.unlock();
			}
			logger.error("Worker " + worker.id() + " crashed; replacing it in " + delay.toMillis() + " ms", crash);
			scheduleConverge(delay);
		}
		else {
			converge();
		}
		WorkerGroup next = this.successor;
		if (next != null) {
			next.converge();
		}
	}

	/**
	 * Wakes one idle worker, or remembers the wake-up for the next worker that turns
	 * idle.
	 */
	@Override
	public void wakeOne() {
		Worker worker = this.idle.pollFirst();
		if (worker != null) {
			worker.wake();
		}
		else {
			this.pendingWake.set(true);
		}
	}

	void wakeAll() {
		this.workers.forEach(Worker::wake);
	}

	@Override
	public boolean hasIdleWorkers() {
		return !this.idle.isEmpty();
	}

	// ---- WorkerSupervisor

	@Override
	public boolean keepRunning(Worker worker) {
		return !this.leaving.contains(worker) && worker.state() != WorkerState.STUCK;
	}

	@Override
	public boolean isPaused(Worker worker) {
		return pausedForWaiting();
	}

	@Override
	public void awaitWork(Worker worker) throws InterruptedException {
		if (!keepRunning(worker)) {
			return;
		}
		boolean paused = isPaused(worker);
		this.fetches.incrementAndGet();
		if (!paused) {
			this.idle.addFirst(worker);
			GroupWaiter blocking = this.waiter;
			if (blocking != null) {
				blocking.idleWorker();
			}
			if (this.pendingWake.getAndSet(false)) {
				this.idle.remove(worker);
				return;
			}
		}
		try {
			worker.awaitWake();
		}
		finally {
			this.idle.remove(worker);
		}
	}

	@Override
	public void awaitRegistration(Worker worker) throws InterruptedException {
		if (keepRunning(worker)) {
			worker.awaitWake();
		}
	}

	@Override
	public void tookJob(Worker worker) {
		this.taken.incrementAndGet();
		this.fetches.incrementAndGet();
		wakeOne();
	}

	@Override
	public void redisUnavailable(Worker worker, ResqueRedisException error, int attempt) throws InterruptedException {
		this.outageBackoff.await(worker, attempt);
	}

	@Override
	public void jobFinished(Worker worker, RunningJob job, JobResult result) {
		this.pool.jobEnded(result.outcome() == JobResult.Outcome.FAILED);
		this.context.events()
			.jobFinished(worker.group(), job, result, Duration.between(job.startedAt(), Instant.now()));
	}

	@Override
	public void jobBlocked(Worker worker, RunningJob job, String limit, String reason) {
		if (logger.isDebugEnabled()) {
			logger.debug("Job " + job.className() + " taken by worker " + worker.id() + " waits: limit " + limit
					+ " has no room (" + reason + ")");
		}
		this.context.events().jobBlocked(worker.group(), job, limit, reason);
	}

	@Override
	public void jobRequeued(Worker worker, RunningJob job, JobInterrupt interrupt) {
		Duration ran = Duration.between(job.startedAt(), Instant.now());
		logger.info("Job " + job.className() + " on worker " + worker.id() + " stopped at a checkpoint after "
				+ ran.toMillis() + " ms and went back to the "
				+ ((interrupt.reason() == JobInterrupt.Reason.MAX_RUN_TIME) ? "tail" : "head") + " of queue '"
				+ job.queue() + "': " + interrupt.getMessage());
		this.context.events().jobRequeued(worker.group(), job, interrupt, ran);
	}

	@Override
	public void jobRetried(Worker worker, RunningJob job, Throwable error, int attempt, Instant retryAt) {
		this.pool.jobEnded(false);
		this.context.events()
			.jobRetried(worker.group(), job, error, attempt, retryAt, Duration.between(job.startedAt(), Instant.now()));
	}

	@Override
	public void unreadableQueues(Worker worker, List<String> queueNames) {
		this.context.launcher().unreadableQueues(queueNames);
	}

	@Override
	public void stateChanged(Worker worker, WorkerState previous, WorkerState state) {
		if (state == WorkerState.PAUSED || state == WorkerState.STOPPED || previous == WorkerState.STARTING
				|| previous == WorkerState.PAUSED) {
			// What the fleet waits for to acknowledge a command: show it without waiting
			// for a beat.
			this.context.beatSoon().run();
		}
		this.context.events().workerStateChanged(worker.group(), worker.id(), previous, state);
	}

	boolean isLeaving(Worker worker) {
		return this.leaving.contains(worker);
	}

}
