package io.github.resquepool.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.worker.RunningJob;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * The supervisor of the Resque workers of this application: a {@link SmartLifecycle} bean
 * that starts the configured groups of worker threads once the context is up, keeps each
 * group at its count, and drains them when the context closes.
 * <p>
 * Every control method is thread-safe and returns once the change is requested; the
 * effect follows on the workers' own threads: a pause takes effect as soon as running
 * jobs finish (the state shows {@code PAUSING} until then), a scale-up starts workers at
 * once (one per {@code start-interval} when set), a scale-down lets leaving workers
 * finish their current job.
 * <p>
 * Phase {@link #PHASE}: it starts after, and stops before, the web server
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}), so a worker dyno drains its jobs while
 * the web server still answers health checks, and before the Redis connection factory
 * (phase 0) stops.
 */
public class ResquePool implements SmartLifecycle {

	/** The lifecycle phase of the pool. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(ResquePool.class);

	/**
	 * How many unreadable queue names are remembered (and so reported once): they come
	 * from Redis.
	 */
	private static final int MAX_REPORTED = 1000;

	private final ResqueRedis redis;

	private final JobRegistry registry;

	private final JobInvoker invoker;

	private final Supplier<PoolSettings> reloadSource;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final String configuredHostname;

	private final ReentrantLock control = new ReentrantLock();

	private final Map<String, WorkerGroup> groups = new LinkedHashMap<>();

	private final List<WorkerGroup> draining = new ArrayList<>();

	/**
	 * The groups as readers see them, replaced whole on every change, so reading never
	 * waits.
	 */
	private volatile List<WorkerGroup> groupView = List.of();

	/**
	 * Retired groups whose workers still finish their jobs, published like
	 * {@link #groupView}.
	 */
	private volatile List<WorkerGroup> drainingView = List.of();

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final Set<String> reportedUnreadable = ConcurrentHashMap.newKeySet();

	private final List<PoolListener> listeners;

	private volatile PoolSettings settings;

	/**
	 * The groups as configured when last applied (start or reload), for the three-way
	 * rule.
	 */
	private volatile Map<String, GroupSettings> configured;

	private volatile FleetSync fleet;

	private volatile Lifecycle lifecycle = Lifecycle.NEW;

	private volatile boolean paused;

	private volatile String lastReloadError;

	private volatile PoolIdentity identity;

	private volatile Housekeeping housekeeping;

	private volatile Liveness liveness;

	/** Completes once the workers of the first round are registered and started. */
	private volatile CompletableFuture<Void> firstStart = new CompletableFuture<>();

	private final Runnable onRedisRecovery = () -> {
		Liveness current = this.liveness;
		if (current != null) {
			current.redisRecovered();
		}
	};

	/**
	 * Creates the pool; nothing runs before {@link #start()}.
	 * @param redis the gateway
	 * @param registry the job handlers
	 * @param invoker runs jobs
	 * @param settings the validated configuration
	 * @param reloadSource reads and validates the configuration again for
	 * {@link #reload()}
	 * @param events publishes the pool's events
	 * @param listeners observers of jobs and workers (metrics)
	 * @param hostname a host name to use in worker ids instead of the system's, or
	 * {@code null}
	 */
	public ResquePool(ResqueRedis redis, JobRegistry registry, JobInvoker invoker, PoolSettings settings,
			Supplier<PoolSettings> reloadSource, ApplicationEventPublisher events, List<PoolListener> listeners,
			String hostname) {
		this.redis = redis;
		this.registry = registry;
		this.invoker = invoker;
		this.settings = settings;
		this.reloadSource = reloadSource;
		this.events = events;
		this.listeners = List.copyOf(listeners);
		this.clock = Clock.systemDefaultZone();
		this.configuredHostname = hostname;
		this.paused = settings.paused();
		this.configured = settings.groups();
	}

	// ---- lifecycle

	/**
	 * Starts the pool: the liveness thread beats (after recovering the jobs of a previous
	 * pool in this same process, a restarted container), and once the first beat went
	 * through, the supervisor thread registers the groups' workers in Redis and starts
	 * their threads. This method waits for that at most one command timeout: when Redis
	 * is unreachable it returns and the pool keeps trying, bringing its workers up once
	 * Redis answers.
	 */
	@Override
	public void start() {
		this.control.lock();
		try {
			if (this.lifecycle == Lifecycle.RUNNING || this.lifecycle == Lifecycle.STOPPING) {
				return;
			}
			this.identity = PoolIdentity.create(this.configuredHostname);
			this.identity.started();
			this.groups.clear();
			this.draining.clear();
			this.housekeeping = new Housekeeping(this, this.redis, this.identity);
			this.fleet = new FleetSync(this, this.redis.fleet());
			this.liveness = new Liveness(this, this.redis, this.identity);
			this.settings.groups().values().forEach((group) -> this.groups.put(group.name(), newGroup(group)));
			publishGroups();
			this.lifecycle = Lifecycle.RUNNING;
			logger.info("Starting resque-pool " + this.identity.poolId() + " on namespace '"
					+ this.redis.keys().namespace() + "': " + describeWorkload() + (this.paused ? " (paused)" : ""));
			this.redis.connectivity().onRecovery(this.onRedisRecovery);
			this.firstStart = new CompletableFuture<>();
			this.housekeeping.start(this.settings);
			this.liveness.start(this.settings);
		}
		finally {
			this.control.unlock();
		}
		awaitFirstStart();
	}

	/**
	 * Waits for the first workers to be registered and started, but never longer than one
	 * command timeout: with Redis unreachable the pool goes on starting in the
	 * background.
	 */
	private void awaitFirstStart() {
		Duration limit = this.redis.connection().timeout();
		try {
			this.firstStart.get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("resque-pool could not register its workers within " + limit.toMillis()
					+ " ms; it keeps trying in the background and starts them once Redis answers");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// completed normally only
		}
	}

	/**
	 * Stops the pool and waits until it has drained; see {@link #stop(Runnable)}.
	 */
	@Override
	public void stop() {
		CountDownLatch done = new CountDownLatch(1);
		stop(done::countDown);
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops the pool gracefully, on a thread of its own: no job is taken from now on,
	 * running jobs may finish within {@code shutdown-timeout}; then the ones still
	 * running are cut off: put back at the head of their queue (or recorded as
	 * {@code Resque::DirtyExit}), and their threads interrupted. Every worker is
	 * unregistered, then {@code callback} runs. Calling it again while the pool drains
	 * neither shortens nor repeats the drain. The pool can be started again afterwards.
	 * @param callback run once the pool has stopped
	 */
	@Override
	public void stop(Runnable callback) {
		List<WorkerGroup> all;
		this.control.lock();
		try {
			if (this.lifecycle != Lifecycle.RUNNING) {
				callback.run();
				return;
			}
			this.lifecycle = Lifecycle.STOPPING;
			all = new ArrayList<>(this.groups.values());
			all.addAll(this.draining);
			all.forEach(WorkerGroup::retireAll);
		}
		finally {
			this.control.unlock();
		}
		Housekeeping supervisor = this.housekeeping;
		Liveness beats = this.liveness;
		Runnable stopHousekeeping = () -> {
			beats.stop();
			supervisor.stop();
		};
		Thread.ofPlatform().name("resque-pool-shutdown").start(() -> {
			try {
				new Drain(this, this.redis, this.identity, all, stopHousekeeping).run(this.settings.shutdownTimeout());
			}
			finally {
				this.redis.connectivity().removeOnRecovery(this.onRedisRecovery);
				this.identity.stopped();
				stopHousekeeping.run();
				all.forEach((group) -> group.fetcher().close());
				this.lifecycle = Lifecycle.STOPPED;
				callback.run();
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.lifecycle == Lifecycle.RUNNING || this.lifecycle == Lifecycle.STOPPING;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	// ---- control

	/**
	 * Pauses every group: running jobs finish, then no job is taken until
	 * {@link #resume()}.
	 */
	public void pause() {
		this.paused = true;
		groupsSnapshot().forEach(WorkerGroup::wakeAll);
		logger.info("Pausing resque-pool: running jobs finish, no new job is taken");
		this.events.publishEvent(new ResquePoolEvent.Paused(this, null));
	}

	/**
	 * Pauses one group: its running jobs finish, then it takes no job until resumed.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void pause(String group) {
		requireGroup(group).setPaused(true);
		logger.info("Pausing group '" + group + "'");
		this.events.publishEvent(new ResquePoolEvent.Paused(this, group));
	}

	/** Resumes the pool; groups paused one by one stay paused. Effective at once. */
	public void resume() {
		this.paused = false;
		groupsSnapshot().forEach(WorkerGroup::wakeAll);
		logger.info("Resuming resque-pool");
		this.events.publishEvent(new ResquePoolEvent.Resumed(this, null));
	}

	/**
	 * Resumes one group. Effective at once, unless the whole pool is paused.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void resume(String group) {
		requireGroup(group).setPaused(false);
		logger.info("Resuming group '" + group + "'");
		this.events.publishEvent(new ResquePoolEvent.Resumed(this, group));
	}

	/**
	 * Sets a group's number of workers. More workers start at once (one per
	 * {@code start-interval} when set); fewer let the leaving ones finish their current
	 * job first.
	 * @param group the group's name
	 * @param count the new count, 0 or more
	 * @return the count before
	 * @throws IllegalArgumentException when there is no such group, the count is
	 * negative, or the total of all groups would exceed {@code max-workers}; nothing
	 * changes then
	 */
	public int scale(String group, int count) {
		this.control.lock();
		try {
			WorkerGroup target = requireGroup(group);
			if (count < 0) {
				throw new IllegalArgumentException("count must be 0 or more, was " + count);
			}
			if (count > this.settings.maxWorkers()) {
				throw new IllegalArgumentException("scaling '" + group + "' to " + count
						+ " workers would be more than resque.pool.max-workers=" + this.settings.maxWorkers());
			}
			// A long: the counts of several groups, each within max-workers, still add up
			// past an int.
			long total = this.groups.values().stream().mapToLong((g) -> (g == target) ? count : g.desired()).sum();
			if (total > this.settings.maxWorkers()) {
				throw new IllegalArgumentException("scaling '" + group + "' to " + count + " would make " + total
						+ " workers, more than resque.pool.max-workers=" + this.settings.maxWorkers());
			}
			int before = target.desired();
			Map<String, GroupSettings> updated = new LinkedHashMap<>(this.settings.groups());
			updated.computeIfPresent(group, (name, settings) -> settings.withCount(count));
			this.settings = this.settings.withGroups(updated);
			target.setDesired(count);
			logger.info("Scaled group '" + group + "' from " + before + " to " + count + " workers");
			this.events.publishEvent(new ResquePoolEvent.Scaled(this, group, before, count));
			return before;
		}
		finally {
			this.control.unlock();
		}
	}

	/**
	 * Reads {@code resque.pool.*} again and converges to it group by group: unchanged
	 * groups keep running untouched, groups with a new count scale, groups with new
	 * queues are replaced (old workers finish their job first), removed groups drain, new
	 * groups start. An invalid configuration changes nothing and is kept as
	 * {@link PoolStatus#lastReloadError()}. Settings other than the groups take effect at
	 * the next start.
	 * @return what changed, or why nothing did
	 */
	public ReloadResult reload() {
		PoolSettings next;
		try {
			next = this.reloadSource.get();
		}
		catch (RuntimeException ex) {
			this.lastReloadError = ex.getMessage();
			logger.warn("Reload refused, the pool keeps running unchanged: " + ex.getMessage());
			return ReloadResult.refused(ex.getMessage());
		}
		this.control.lock();
		try {
			List<String> changes = new Reconciliation(this, this.groups, this.draining).apply(this.configured,
					next.groups());
			publishGroups();
			Map<String, GroupSettings> running = new LinkedHashMap<>();
			this.groups.values()
				.forEach((g) -> running.put(g.name(), next.groups().get(g.name()).withCount(g.desired())));
			this.settings = this.settings.withGroups(running);
			this.configured = next.groups();
			this.lastReloadError = null;
			logger.info("Reloaded resque-pool: " + (changes.isEmpty() ? "no change" : String.join("; ", changes)));
			this.events.publishEvent(new ResquePoolEvent.Reloaded(this, changes));
			return ReloadResult.applied(changes);
		}
		finally {
			this.control.unlock();
		}
	}

	/**
	 * @return an immutable snapshot of the pool
	 */
	public PoolStatus status() {
		return new StatusSnapshot(this, this.groupView, this.drainingView).take(this.clock.instant());
	}

	// ---- for the pool's own classes

	PoolSettings settings() {
		return this.settings;
	}

	boolean isPaused() {
		return this.paused;
	}

	/**
	 * @return whether workers may start: the pool runs and its first beat went through
	 */
	boolean canStartWorkers() {
		Liveness current = this.liveness;
		return this.lifecycle == Lifecycle.RUNNING && current != null && current.isRegistered();
	}

	/**
	 * The first beat went through: the groups start their workers. Called on the liveness
	 * thread.
	 */
	void registered() {
		Housekeeping supervisor = this.housekeeping;
		CompletableFuture<Void> started = this.firstStart;
		FleetSync overrides = this.fleet;
		supervisor.thread().execute("start of workers", () -> {
			try {
				try {
					// A new pool applies the fleet's stored overrides before its first
					// job.
					overrides.sync();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not read the fleet's overrides before the first workers start ("
							+ ex.getMessage() + "); they are applied at the next beat");
				}
				groupsSnapshot().forEach(WorkerGroup::convergeNow);
			}
			finally {
				started.complete(null);
			}
		});
	}

	/**
	 * @return the fleet overrides this pool follows, or {@code null} before its start
	 */
	FleetSync fleet() {
		return this.fleet;
	}

	/**
	 * Pauses or resumes a group for a fleet command.
	 * @param group the group's name
	 * @param pause whether to pause it
	 * @param why the command, for the log
	 */
	void pauseGroup(String group, boolean pause, String why) {
		logger.info((pause ? "Pausing" : "Resuming") + " group '" + group + "' (" + why + ")");
		if (pause) {
			pause(group);
		}
		else {
			resume(group);
		}
	}

	/**
	 * @param group a group's name
	 * @return its count as configured when last applied
	 */
	int configuredCount(String group) {
		GroupSettings settings = this.configured.get(group);
		return (settings != null) ? settings.count() : 0;
	}

	/** Beats soon, so that the fleet sees a change without waiting for the next beat. */
	void beatSoon() {
		Liveness current = this.liveness;
		if (current != null) {
			current.beatSoon();
		}
	}

	/**
	 * Workers were registered again after Redis lost them: wake those that wait for it.
	 */
	void reregistered() {
		allGroups().forEach(WorkerGroup::wakeAll);
	}

	void requestConverge(WorkerGroup group) {
		Housekeeping current = this.housekeeping;
		if (current != null) {
			current.requestConverge(group);
		}
	}

	/**
	 * @return the ids of every worker whose thread has not ended
	 */
	List<String> aliveWorkerIds() {
		List<String> alive = new ArrayList<>();
		for (WorkerGroup group : allGroups()) {
			for (Worker worker : group.workers()) {
				if (worker.state() != WorkerState.STOPPED) {
					alive.add(worker.id());
				}
			}
		}
		return alive;
	}

	Lifecycle lifecycle() {
		return this.lifecycle;
	}

	PoolIdentity identity() {
		return this.identity;
	}

	ResqueRedis redis() {
		return this.redis;
	}

	long processed() {
		return this.processed.get();
	}

	long failed() {
		return this.failed.get();
	}

	String lastReloadError() {
		return this.lastReloadError;
	}

	List<WorkerGroup> groupsSnapshot() {
		return this.groupView;
	}

	List<WorkerGroup> allGroups() {
		List<WorkerGroup> all = new ArrayList<>(this.groupView);
		all.addAll(this.drainingView);
		return all;
	}

	private void publishGroups() {
		this.groupView = List.copyOf(this.groups.values());
		this.drainingView = List.copyOf(this.draining);
	}

	void dropDrainedGroups() {
		this.control.lock();
		try {
			if (this.draining.removeIf((group) -> group.workers().isEmpty())) {
				publishGroups();
			}
		}
		finally {
			this.control.unlock();
		}
	}

	WorkerGroup newGroup(GroupSettings settings) {
		WorkerGroup group = new WorkerGroup(this, settings, false);
		armWakeUp(group);
		return group;
	}

	private void armWakeUp(WorkerGroup group) {
		Housekeeping supervisor = this.housekeeping;
		if (supervisor != null) {
			supervisor.thread().execute("wake-up of group " + group.name(), () -> supervisor.wakeUps().arm(group));
		}
	}

	/** Registers new workers of a group in Redis, then starts their threads. */
	List<Worker> startWorkers(WorkerGroup group, int count) {
		PoolIdentity id = this.identity;
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			workers.add(new Worker(id.nextWorkerId(group.queues()), group.name(), group.queues(), group.fetcher(),
					this.registry, this.invoker, group, this.settings.jobTimeout(), this.clock));
		}
		try {
			this.redis.workers()
				.register(id.poolId(), RubyTime.timeToS(ZonedDateTime.now(this.clock)),
						workers.stream().map(Worker::id).toList());
		}
		catch (RuntimeException ex) {
			return List.of();
		}
		boolean virtual = this.settings.virtualThreads();
		for (Worker worker : workers) {
			group.added(worker);
			Runnable body = () -> runWorker(group, worker);
			Thread thread = virtual ? Thread.ofVirtual().name(worker.id()).unstarted(body)
					: Thread.ofPlatform().name(worker.id()).daemon(true).unstarted(body);
			thread.start();
			this.events.publishEvent(new ResquePoolEvent.WorkerStarted(this, worker.id(), group.name()));
			this.listeners.forEach((listener) -> listener.workerStarted(group.name(), worker.id()));
		}
		return workers;
	}

	private void runWorker(WorkerGroup group, Worker worker) {
		Throwable crash = null;
		try {
			worker.run();
		}
		catch (Throwable ex) {
			crash = ex;
		}
		finally {
			exited(group, worker, crash);
		}
	}

	private void exited(WorkerGroup group, Worker worker, Throwable crash) {
		this.housekeeping.unregister(worker);
		this.events
			.publishEvent((crash != null) ? new ResquePoolEvent.WorkerCrashed(this, worker.id(), group.name(), crash)
					: new ResquePoolEvent.WorkerStopped(this, worker.id(), group.name()));
		this.listeners.forEach((listener) -> listener.workerExited(group.name(), worker.id(), crash));
		group.exited(worker, crash);
	}

	void scheduleConverge(WorkerGroup group, Duration delay) {
		Housekeeping current = this.housekeeping;
		if (current != null) {
			current.scheduleConverge(group, delay);
		}
	}

	/**
	 * Wakes one idle worker of each group that may watch the queue (an enqueue was
	 * announced).
	 */
	void enqueued(String queue) {
		for (WorkerGroup group : groupsSnapshot()) {
			if (group.queues().mayWatch(queue)) {
				group.wakeOne();
			}
		}
	}

	void jobFinished(Worker worker, RunningJob job, JobResult result) {
		this.processed.incrementAndGet();
		if (result.outcome() == JobResult.Outcome.FAILED) {
			this.failed.incrementAndGet();
		}
		Duration duration = Duration.between(job.startedAt(), this.clock.instant());
		this.listeners.forEach((listener) -> listener.jobFinished(worker.group(), job, result, duration));
	}

	void jobRetried(Worker worker, RunningJob job, Throwable error, int attempt, Instant retryAt) {
		this.processed.incrementAndGet();
		Duration duration = Duration.between(job.startedAt(), this.clock.instant());
		this.listeners
			.forEach((listener) -> listener.jobRetried(worker.group(), job, error, attempt, retryAt, duration));
	}

	void workerStateChanged(Worker worker, WorkerState previous, WorkerState state) {
		if (state == WorkerState.PAUSED || state == WorkerState.STOPPED || previous == WorkerState.STARTING
				|| previous == WorkerState.PAUSED) {
			// What the fleet waits for to acknowledge a command: show it without waiting
			// for a beat.
			beatSoon();
		}
		for (PoolListener listener : this.listeners) {
			listener.workerStateChanged(worker.group(), worker.id(), state);
			if (state == WorkerState.PAUSED) {
				listener.workerPaused(worker.group(), worker.id());
			}
			else if (previous == WorkerState.PAUSED && state != WorkerState.STOPPED) {
				listener.workerResumed(worker.group(), worker.id());
			}
		}
	}

	void unreadableQueues(List<String> queues) {
		for (String queue : queues) {
			if (this.reportedUnreadable.size() < MAX_REPORTED && this.reportedUnreadable.add(queue)) {
				String key = queue.equals("<queues>")
						? this.redis.keys().queues() + " is not a set, so no queue can be found through it"
						: this.redis.keys().queue(queue) + " is not a list";
				logger.warn("Skipping queue '" + queue + "': its key " + key + " (reported once)");
			}
		}
	}

	private WorkerGroup requireGroup(String name) {
		List<WorkerGroup> view = this.groupView;
		return view.stream()
			.filter((group) -> group.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no worker group '" + name + "'; groups: "
					+ String.join(", ", view.stream().map(WorkerGroup::name).toList())));
	}

	private String describeWorkload() {
		List<String> parts = new ArrayList<>();
		this.settings.groups().values().forEach((g) -> parts.add(g.name() + " [" + g.queues() + "] x" + g.count()));
		return parts.isEmpty() ? "no worker groups" : String.join(", ", parts);
	}

	Instant now() {
		return this.clock.instant();
	}

	/** The pool's own lifecycle. */
	enum Lifecycle {

		NEW, RUNNING, STOPPING, STOPPED

	}

}
