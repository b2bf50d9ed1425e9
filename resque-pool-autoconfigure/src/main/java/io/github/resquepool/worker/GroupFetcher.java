package io.github.resquepool.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.JobStore;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.Turn;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The one owner of a group's Redis I/O, as a listener container's consumer threads own
 * their broker connection: workers hand it their turns (the outcome of the last job, the
 * request for the next), and its lanes (threads of its own) run every turn queued
 * meanwhile in one atomic script call and hand each worker its result. So a busy group
 * shares a round trip among all the workers that finished a job meanwhile, and no worker
 * ever does I/O for another: interrupting a worker (a job timeout, a stop) can never fail
 * a sibling's turn. Each job taken is still recorded at its worker's {@code worker:<id>}
 * inside the script, so no job exists only in JVM memory.
 * <p>
 * With more than one lane, a turn that arrives while a call is on its way goes out at
 * once on an idle lane instead of waiting for that call's answer: two calls of a group
 * are in flight together on the multiplexed connection, which hides a round trip. Each
 * worker has at most one turn in flight, so its own turns still run in order; the calls
 * of two lanes touch different {@code worker:<id>} keys and each is atomic.
 */
public final class GroupFetcher implements AutoCloseable {

	private static final int MAX_BATCH = 64;

	/** How many calls of one group may be in flight together by default. */
	public static final int DEFAULT_LANES = 2;

	private final JobStore jobs;

	private final String poolId;

	private final QueueSpec queues;

	private final Clock clock;

	private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();

	private final Lane[] lanes;

	private volatile boolean closed;

	/**
	 * Creates the fetcher of one group with {@link #DEFAULT_LANES} lanes and starts them.
	 * @param jobs the job store
	 * @param poolId the pool's id
	 * @param group the group's name, for the threads' names
	 * @param queues the group's queue list
	 * @param clock the clock for {@code run_at}
	 */
	public GroupFetcher(JobStore jobs, String poolId, String group, QueueSpec queues, Clock clock) {
		this(jobs, poolId, group, queues, clock, DEFAULT_LANES);
	}

	/**
	 * Creates the fetcher of one group and starts its lanes.
	 * @param jobs the job store
	 * @param poolId the pool's id
	 * @param group the group's name, for the threads' names
	 * @param queues the group's queue list
	 * @param clock the clock for {@code run_at}
	 * @param lanes how many calls may be in flight together (at least 1)
	 */
	public GroupFetcher(JobStore jobs, String poolId, String group, QueueSpec queues, Clock clock, int lanes) {
		this(jobs, poolId, group, queues, clock, lanes, ResqueThreads.standard());
	}

	/**
	 * Creates the fetcher of one group and starts its lanes, on threads named
	 * {@code resque-pool-fetch-<group>}, then {@code resque-pool-fetch-<group>-2} and so
	 * on.
	 * @param jobs the job store
	 * @param poolId the pool's id
	 * @param group the group's name, for the threads' names
	 * @param queues the group's queue list
	 * @param clock the clock for {@code run_at}
	 * @param lanes how many calls may be in flight together (at least 1)
	 * @param threads makes the lanes' threads
	 */
	public GroupFetcher(JobStore jobs, String poolId, String group, QueueSpec queues, Clock clock, int lanes,
			ResqueThreads threads) {
		if (lanes < 1) {
			throw new IllegalArgumentException("a fetcher needs at least one lane, not " + lanes);
		}
		this.jobs = jobs;
		this.poolId = poolId;
		this.queues = queues;
		this.clock = clock;
		this.lanes = new Lane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new Lane();
		}
		for (int i = 0; i < lanes; i++) {
			Lane lane = this.lanes[i];
			String name = "resque-pool-fetch-" + group + ((i == 0) ? "" : "-" + (i + 1));
			lane.thread = threads.platform(name, true, () -> loop(lane));
		}
		for (Lane lane : this.lanes) {
			lane.thread.start();
		}
	}

	/**
	 * @return how many calls of the group may be in flight together
	 */
	public int lanes() {
		return this.lanes.length;
	}

	/**
	 * Runs one worker's turn on the fetcher's thread, batched with its siblings', and
	 * waits for it. An interrupt of the caller does not cut the wait short (the turn may
	 * already be on its way to Redis); it stays set.
	 * @param turn the worker's request
	 * @return what it found
	 * @throws ResqueRedisException when Redis failed; the turn may or may not have been
	 * applied, which the outcome check and the resume of the next turn cover
	 */
	public Fetch turn(Turn turn) {
		if (this.closed) {
			throw new ResqueRedisException("the group's fetcher is closed", null);
		}
		Request request = new Request(turn, Thread.currentThread());
		this.pending.add(request);
		wakeLane();
		boolean interrupted = false;
		while (!request.done) {
			LockSupport.park(this);
			interrupted |= Thread.interrupted();
			if (this.closed && !request.done) {
				// Closed between the add and the loop's last drain: nobody else completes
				// it.
				if (this.pending.remove(request)) {
					request.error = new ResqueRedisException("the group's fetcher is closed", null);
					request.done = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (request.error != null) {
			throw request.error;
		}
		return request.result;
	}

	/**
	 * Wakes the first idle lane, or the last lane when all are busy. A lane clears its
	 * busy flag before it drains the queue again, so a lane seen busy drains this request
	 * when its call ends, and the permit given to the last lane keeps it from parking
	 * past the request either way.
	 */
	private void wakeLane() {
		Lane[] all = this.lanes;
		for (Lane lane : all) {
			if (!lane.busy) {
				LockSupport.unpark(lane.thread);
				return;
			}
		}
		LockSupport.unpark(all[all.length - 1].thread);
	}

	private void loop(Lane lane) {
		List<Request> batch = new ArrayList<>(MAX_BATCH);
		while (!this.closed) {
			Request next;
			while (batch.size() < MAX_BATCH && (next = this.pending.poll()) != null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				LockSupport.park(this);
				Thread.interrupted();
				continue;
			}
			lane.busy = true;
			try {
				run(batch);
			}
			finally {
				lane.busy = false;
			}
			for (Request request : batch) {
				request.done = true;
				LockSupport.unpark(request.thread);
			}
			batch.clear();
		}
		Request left;
		while ((left = this.pending.poll()) != null) {
			left.error = new ResqueRedisException("the group's fetcher is closed", null);
			left.done = true;
			LockSupport.unpark(left.thread);
		}
	}

	private void run(List<Request> batch) {
		try {
			List<Fetch> results = this.jobs.cycles(this.poolId, this.queues, RubyTime.runAt(this.clock.instant()),
					batch.stream().map((r) -> r.turn).toList());
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).result = results.get(i);
			}
		}
		catch (RuntimeException ex) {
			ResqueRedisException error = (ex instanceof ResqueRedisException redis) ? redis
					: new ResqueRedisException("a turn failed: " + ex, ex);
			batch.forEach((request) -> request.error = error);
		}
	}

	/**
	 * Stops the fetcher's lanes; turns queued and not yet sent fail with a
	 * {@link ResqueRedisException}.
	 */
	@Override
	public void close() {
		this.closed = true;
		for (Lane lane : this.lanes) {
			LockSupport.unpark(lane.thread);
		}
	}

	private static final class Lane {

		Thread thread;

		volatile boolean busy;

	}

	private static final class Request {

		final Turn turn;

		final Thread thread;

		Fetch result;

		ResqueRedisException error;

		volatile boolean done;

		Request(Turn turn, Thread thread) {
			this.turn = turn;
			this.thread = thread;
		}

	}

}
