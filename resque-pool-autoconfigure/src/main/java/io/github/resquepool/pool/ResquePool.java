package io.github.resquepool.pool;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

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

	private final ResqueRedis redis;

	private final ReentrantLock lock = new ReentrantLock();

	private final GroupMap groups = new GroupMap();

	private final PoolState state;

	private final PoolControl control;

	/** Wires a run of the pool, with the settings at its start. */
	private final Function<PoolSettings, PoolRun> runs;

	private volatile PoolRun run;

	/**
	 * Creates the pool; nothing runs before {@link #start()}.
	 * @param redis the gateway
	 * @param registry the job handlers
	 * @param invoker runs jobs
	 * @param settings the validated configuration
	 * @param reloadSource reads and validates the configuration again for
	 * {@link #reload()}
	 * @param events makes, for this pool, the sink its parts tell what happened
	 * ({@link PoolEvents#publishing} publishes its events and calls its listeners)
	 * @param hostname a host name to use in worker ids instead of the system's, or
	 * {@code null}
	 * @param threads makes the pool's threads, its workers' included
	 */
	public ResquePool(ResqueRedis redis, JobRegistry registry, JobInvoker invoker, PoolSettings settings,
			Supplier<PoolSettings> reloadSource, Function<ResquePool, PoolEventSink> events, String hostname,
			ResqueThreads threads) {
		PoolEventSink sink = events.apply(this);
		this.redis = redis;
		this.state = new PoolState(settings.paused());
		this.control = new PoolControl(this.lock, this.groups, this.state, sink, settings, reloadSource,
				(group) -> this.run.newGroup(group));
		this.runs = (current) -> new PoolRun(redis, registry, invoker, current, hostname, this.groups, this.state, sink,
				this.control, this::status, threads);
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
		PoolRun started;
		this.lock.lock();
		try {
			if (isRunning()) {
				return;
			}
			started = this.runs.apply(this.control.settings());
			this.run = started;
			started.start();
		}
		finally {
			this.lock.unlock();
		}
		started.awaitFirstStart();
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
		this.lock.lock();
		try {
			if (this.state.lifecycle() != PoolState.Lifecycle.RUNNING) {
				callback.run();
				return;
			}
			this.state.setLifecycle(PoolState.Lifecycle.STOPPING);
			all = this.groups.all();
			all.forEach(WorkerGroup::retireAll);
		}
		finally {
			this.lock.unlock();
		}
		this.run.drain(all, () -> {
			this.state.setLifecycle(PoolState.Lifecycle.STOPPED);
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		PoolState.Lifecycle lifecycle = this.state.lifecycle();
		return lifecycle == PoolState.Lifecycle.RUNNING || lifecycle == PoolState.Lifecycle.STOPPING;
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
		this.control.pause(null, true);
	}

	/**
	 * Pauses one group: its running jobs finish, then it takes no job until resumed.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void pause(String group) {
		this.control.pause(group, true);
	}

	/** Resumes the pool; groups paused one by one stay paused. Effective at once. */
	public void resume() {
		this.control.pause(null, false);
	}

	/**
	 * Resumes one group. Effective at once, unless the whole pool is paused.
	 * @param group the group's name
	 * @throws IllegalArgumentException when there is no such group
	 */
	public void resume(String group) {
		this.control.pause(group, false);
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
		return this.control.scaleFrom(group, count);
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
		return this.control.reload();
	}

	/**
	 * Tells why the pool drains on its own: its heap stayed above
	 * {@code resque.pool.memory-limit} (the health is {@code DOWN} from then on).
	 * @return the reason, or {@code null}
	 */
	public String drainReason() {
		return this.state.drainReason();
	}

	/**
	 * @return an immutable snapshot of the pool
	 */
	public PoolStatus status() {
		PoolRun current = this.run;
		return new StatusSnapshot(this.state, this.groups.running(), this.groups.draining(),
				this.control.settings().maxStuckWorkers())
			.take(Instant.now(), (current != null) ? current.identity().poolId() : null,
					this.redis.connectivity().isUp(), this.control.lastReloadError(),
					(current != null) ? current.fleet().current() : null);
	}

}
