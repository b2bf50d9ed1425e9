package io.github.resquepool.pool;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.thread.ResqueThreads;
import io.github.resquepool.worker.GroupFetcher;
import io.github.resquepool.worker.JobFailure;
import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerSettings;
import io.github.resquepool.worker.WorkerSupervisor;

/**
 * The worker launcher of one pool run: it makes worker ids, registers new workers in
 * Redis, starts their threads, gives each group its fetcher, and unregisters workers
 * whose thread ended (retrying on the poll tick when Redis did not answer). It knows no
 * group: a group hands it what it needs.
 */
final class PoolWorkers {

	private static final Log logger = LogFactory.getLog(PoolWorkers.class);

	/**
	 * How many unreadable queue names are remembered (and so reported once): they come
	 * from Redis.
	 */
	private static final int MAX_REPORTED = 1000;

	private final ResqueRedis redis;

	private final PoolIdentity identity;

	private final WorkerSettings workerSettings;

	private final boolean virtualThreads;

	private final boolean requeueOnRecovery;

	private final ResqueThreads threads;

	private final Clock clock = Clock.systemDefaultZone();

	private final Set<String> pendingUnregister = ConcurrentHashMap.newKeySet();

	private final Set<String> reportedUnreadable = ConcurrentHashMap.newKeySet();

	PoolWorkers(ResqueRedis redis, PoolIdentity identity, JobRegistry registry, JobInvoker invoker,
			PoolSettings settings, ResqueThreads threads) {
		this.redis = redis;
		this.identity = identity;
		JobLimits limits = settings.jobLimits();
		this.workerSettings = new WorkerSettings(registry, invoker, redis.checkpoints(), redis.limits(),
				settings.jobTimeout(), limits.maxRunTime(), limits.maxJobsPerWorker(), this.clock);
		this.virtualThreads = settings.virtualThreads();
		this.requeueOnRecovery = settings.requeueOnRecovery();
		this.threads = threads;
		redis.jobs().limitQueues(limits.queueLimits());
		// An ActiveJob handler's jobs carry the wrapper's class, so the fetch never
		// matches
		// its limits: the worker takes them instead.
		redis.jobs().limitClasses(ClassLimits.withoutKey(registry));
	}

	/**
	 * @return the pool's id
	 */
	String poolId() {
		return this.identity.poolId();
	}

	/**
	 * @param group the group's name
	 * @param queues its queue list
	 * @return a fetcher for the group's Redis turns
	 */
	GroupFetcher fetcher(String group, QueueSpec queues) {
		return new GroupFetcher(this.redis.jobs(), this.identity.poolId(), group, queues, Clock.systemUTC(),
				GroupFetcher.DEFAULT_LANES, this.threads);
	}

	/**
	 * @return where the pool's threads come from
	 */
	ResqueThreads threads() {
		return this.threads;
	}

	/**
	 * Makes new workers and registers them in Redis; their threads are not started.
	 * @param group the group's name
	 * @param queues its queue list
	 * @param fetcher its fetcher
	 * @param supervisor its supervisor
	 * @param count how many
	 * @return the workers, or none when Redis did not register them
	 */
	List<Worker> register(String group, QueueSpec queues, GroupFetcher fetcher, WorkerSupervisor supervisor,
			int count) {
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			workers.add(new Worker(this.identity.nextWorkerId(queues), group, queues, fetcher, supervisor,
					this.workerSettings));
		}
		try {
			this.redis.workers()
				.register(this.identity.poolId(), RubyTime.timeToS(ZonedDateTime.now(this.clock)),
						workers.stream().map(Worker::id).toList());
		}
		catch (RuntimeException ex) {
			return List.of();
		}
		return workers;
	}

	/**
	 * Starts a worker's thread, virtual or platform as configured, named after the
	 * worker.
	 * @param worker the worker
	 * @param body what the thread runs
	 */
	void start(Worker worker, Runnable body) {
		Thread thread = this.virtualThreads ? this.threads.virtual(worker.id(), body)
				: this.threads.platform(worker.id(), true, body);
		thread.start();
	}

	/**
	 * Unregisters a worker whose thread ended; when Redis does not answer,
	 * {@link #retryUnregister()} tries again.
	 * @param worker the worker
	 */
	void unregister(Worker worker) {
		try {
			List<String> held = this.redis.workers()
				.unregister(this.identity.poolId(), List.of(worker.id()), this.requeueOnRecovery,
						JobFailure.DIRTY_EXIT);
			if (!held.isEmpty()) {
				logger.warn("Worker " + worker.id() + " left with a job still recorded; " + (this.requeueOnRecovery
						? "requeued it at the head of its queue" : "recorded it as Resque::DirtyExit"));
			}
		}
		catch (RuntimeException ex) {
			this.pendingUnregister.add(worker.id());
		}
	}

	/** Unregisters the workers whose unregistration failed; runs on the poll tick. */
	void retryUnregister() {
		if (!this.pendingUnregister.isEmpty()) {
			List<String> ids = List.copyOf(this.pendingUnregister);
			this.redis.workers().unregister(this.identity.poolId(), ids, this.requeueOnRecovery, JobFailure.DIRTY_EXIT);
			this.pendingUnregister.removeAll(ids);
		}
	}

	/**
	 * Reports queues whose keys cannot be read, each once.
	 * @param queues the queues' names, {@code <queues>} for the set of queues
	 */
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

	/**
	 * @return whether this pool configures a queue limit or runs a handler under a
	 * fleet-wide limit, so that the pool helps put held-back jobs back on their queues
	 */
	boolean runsLimitedJobs() {
		return !this.redis.jobs().configuredQueueLimits().isEmpty() || this.workerSettings.registry()
			.handlers()
			.stream()
			.anyMatch((handler) -> !handler.limits().isEmpty());
	}

}
