package io.github.resquepool.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.Outcome;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.Turn;

/**
 * Combines the turns of a group's workers into one Redis script call (flat combining): a worker
 * queues its turn, and whichever worker holds the leader role runs every queued turn in one
 * atomic step and hands each worker its result. A lone worker leads at once, so an idle pool
 * keeps one round trip per turn; a busy one shares a round trip among all workers that finished
 * a job meanwhile. Each job taken is still recorded at its worker's {@code worker:<id>} inside
 * the script, so no job exists only in JVM memory.
 */
public final class TurnCombiner {

	private static final int MAX_BATCH = 64;

	private final ResqueRedis redis;

	private final QueueSpec queues;

	private final Clock clock;

	private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();

	private final ReentrantLock leader = new ReentrantLock();

	/**
	 * Creates the combiner of one group.
	 * @param redis the gateway
	 * @param queues the group's queue list
	 * @param clock the clock for {@code run_at}
	 */
	public TurnCombiner(ResqueRedis redis, QueueSpec queues, Clock clock) {
		this.redis = redis;
		this.queues = queues;
		this.clock = clock;
	}

	/**
	 * Runs one worker's turn, batched with the turns of its siblings.
	 * @param turn the worker's request
	 * @return what it found
	 * @throws io.github.resquepool.resque.ResqueRedisException when Redis failed; the turn may or
	 * may not have been applied, which the outcome check and the resume of the next turn cover
	 */
	public Fetch turn(Turn turn) {
		Request request = new Request(turn, Thread.currentThread());
		this.pending.add(request);
		boolean interrupted = false;
		try {
			while (!request.done) {
				if (this.leader.tryLock()) {
					try {
						lead(request);
					}
					finally {
						this.leader.unlock();
					}
					Request next = this.pending.peek();
					if (next != null) {
						LockSupport.unpark(next.thread);
					}
				}
				else {
					LockSupport.park(this);
					interrupted |= Thread.interrupted();
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		if (request.error != null) {
			throw request.error;
		}
		return request.result;
	}

	private void lead(Request own) {
		while (!own.done) {
			List<Request> batch = new ArrayList<>();
			Request next;
			while (batch.size() < MAX_BATCH && (next = this.pending.poll()) != null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				return;
			}
			run(batch);
			for (Request request : batch) {
				request.done = true;
				if (request != own) {
					LockSupport.unpark(request.thread);
				}
			}
		}
	}

	private void run(List<Request> batch) {
		try {
			List<Fetch> results = this.redis.cycles(this.queues, RubyTime.runAt(this.clock.instant()),
					batch.stream().map((r) -> r.turn).toList());
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).result = results.get(i);
			}
		}
		catch (RuntimeException ex) {
			batch.forEach((request) -> request.error = ex);
		}
	}

	private static final class Request {

		final Turn turn;

		final Thread thread;

		Fetch result;

		RuntimeException error;

		volatile boolean done;

		Request(Turn turn, Thread thread) {
			this.turn = turn;
			this.thread = thread;
		}

	}

}
