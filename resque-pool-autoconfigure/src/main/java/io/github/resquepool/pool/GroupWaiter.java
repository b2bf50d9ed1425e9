package io.github.resquepool.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.github.resquepool.resque.QueueWaiter;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The blocking wake-up of a group with a static queue list: one thread and one connection
 * per queue, each waiting with {@code BLMOVE} (an atomic no-op) until its queue has a
 * job, and only while the group has idle workers. When the queue has one, it wakes one
 * idle worker and waits for that worker's fetch before it waits again, so a single job
 * wakes a single worker; a burst fans out through the workers' own chain wake-ups. When
 * every worker is busy nothing waits, so waking costs nothing; an idle group costs one
 * command per queue every few seconds, whatever the number of its workers.
 */
final class GroupWaiter implements AutoCloseable {

	private static final Duration BLOCK = Duration.ofSeconds(5);

	private static final long FETCH_WAIT_NANOS = Duration.ofMillis(200).toNanos();

	private final IdleGroup group;

	private final List<QueueWaiter> waiters = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean closed;

	GroupWaiter(IdleGroup group, ResqueRedis redis, List<String> queues, ResqueThreads threads) {
		this.group = group;
		for (String queue : queues) {
			QueueWaiter waiter = redis.queueWaiter(queue);
			this.waiters.add(waiter);
			Thread thread = threads.platform("resque-pool-wait-" + group.name() + "-" + queue, true,
					() -> loop(waiter));
			this.threads.add(thread);
			thread.start();
		}
	}

	/** Lets the waiters know that a worker turned idle. */
	void idleWorker() {
		this.threads.forEach(LockSupport::unpark);
	}

	private void loop(QueueWaiter waiter) {
		int failures = 0;
		int misses = 0;
		while (!this.closed) {
			if (!this.group.hasIdleWorkers() || this.group.pausedForWaiting()) {
				LockSupport.parkNanos(this, Duration.ofSeconds(1).toNanos());
				continue;
			}
			long fetches = this.group.fetches();
			long taken = this.group.jobsTaken();
			try {
				boolean job = waiter.await(BLOCK);
				failures = 0;
				if (job && !this.closed) {
					this.group.wakeOne();
					long deadline = System.nanoTime() + FETCH_WAIT_NANOS;
					while (this.group.fetches() == fetches && System.nanoTime() - deadline < 0 && !this.closed) {
						LockSupport.parkNanos(this, 1_000_000);
					}
					// The queue has a job the woken worker did not take (the queue is
					// paused with
					// resque-pause's key, say): back off up to the poll interval, never
					// spin.
					misses = (this.group.jobsTaken() == taken) ? misses + 1 : 0;
					if (misses > 0) {
						long max = this.group.pollInterval().toMillis();
						LockSupport.parkNanos(this, Math.min(max, 10L << Math.min(misses, 10)) * 1_000_000);
					}
				}
			}
			catch (ResqueRedisException ex) {
				// An outage: the poll keeps the group going; try again after a pause.
				LockSupport.parkNanos(this, Math.min(5000, 100L << Math.min(failures++, 6)) * 1_000_000);
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.waiters.forEach(QueueWaiter::close);
		this.threads.forEach(LockSupport::unpark);
	}

}
