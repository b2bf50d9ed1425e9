package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;

/**
 * Jobs on their way: pushed onto a queue, taken by a worker together with the outcome of
 * its last job, or put back when a worker cannot finish one.
 */
public final class JobStore extends RedisStore {

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] ONE = { '1' };

	private static final byte[] ZERO = { '0' };

	/** The script arguments per turn. */
	private static final int STRIDE = 11;

	/** The most queues one script call looks at. */
	static final int SLICE = 250;

	/** What the fetch found when the {@code queues} set changed size: expand again. */
	private static final Fetch STALE = new Fetch.Idle(List.of("<stale>"));

	/** Stands for the {@code queues} key when it holds something other than a set. */
	private static final String UNREADABLE_SET = "<queues>";

	private final LuaScript enqueue = LuaScript.load("enqueue");

	private final LuaScript cycles = LuaScript.load("cycles");

	private volatile Map<String, QueueLimit> queueLimits = Map.of();

	private volatile Map<String, List<LimitStore.Slot>> classLimits = Map.of();

	private final LuaScript requeue = LuaScript.load("requeue");

	private final AtomicLong taken = new AtomicLong();

	private final byte[] maxPayloadSize;

	private final KnownQueues known;

	JobStore(ResqueConnection connection, ResqueKeys keys, long maxPayloadSize) {
		super(connection, keys);
		this.maxPayloadSize = bytes(String.valueOf(maxPayloadSize));
		this.known = new KnownQueues(connection, keys, System::nanoTime);
	}

	/**
	 * Pushes a payload as Ruby's {@code Resque.push} does (SADD {@code queues}, RPUSH
	 * <code>queue:&lt;q&gt;</code>) and announces the queue to idle pool workers, in one
	 * atomic step.
	 * @param queue the queue
	 * @param payload the payload text
	 * @return the queue's length after the push
	 */
	public long enqueue(String queue, String payload) {
		return (Long) script(this.enqueue, ScriptOutputType.INTEGER, List.of(queue, payload));
	}

	/**
	 * Pushes a unique job's payload as {@link #enqueue(String, String)} does, in the same
	 * atomic step as taking its lock, and only if the lock was free.
	 * @param queue the queue
	 * @param payload the payload text
	 * @param lock the job's lock
	 * @return the queue's length after the push, or {@code -1} when the lock is held and
	 * nothing was pushed
	 */
	public long enqueue(String queue, String payload, UniqueLock lock) {
		return (Long) script(this.enqueue, ScriptOutputType.INTEGER,
				List.of(queue, payload, lock.name(), lock.ttlMillis(), "queued:" + queue));
	}

	/**
	 * @return the count in Resque's {@code stat:processed}, 0 when it is absent or not a
	 * number
	 */
	public long processedStat() {
		return number(this.connection.call((c) -> c.get(this.keys.processed())));
	}

	/**
	 * Sets the queue limits this process is configured with; a run-time override in Redis
	 * wins over them.
	 * @param limits the limits by queue
	 */
	public void limitQueues(Map<String, QueueLimit> limits) {
		this.queueLimits = Map.copyOf(limits);
	}

	/**
	 * Sets the limits without a key of the job classes this process runs: they are taken
	 * in the same script as the job, at no extra round trip.
	 * @param limits the limits by class name
	 */
	public void limitClasses(Map<String, List<LimitStore.Slot>> limits) {
		this.classLimits = Map.copyOf(limits);
	}

	/**
	 * @return the queue limits this process is configured with
	 */
	public Map<String, QueueLimit> configuredQueueLimits() {
		return this.queueLimits;
	}

	/**
	 * One turn for each of several workers of one group, in one atomic step: records the
	 * outcome of each worker's last job (if any, and only once however often a turn is
	 * sent again) and, for those that ask, takes the next job in strict priority order
	 * and records it at {@code worker:<id>}. A payload over the size limit is not taken
	 * to run: it becomes a failure entry holding its first bytes, and the turn goes on
	 * with the next job.
	 * <p>
	 * A dynamic list is expanded here against the {@code queues} set as last read (see
	 * {@link KnownQueues}), and a list longer than {@value #SLICE} queues is looked at in
	 * slices of that many, one script call each, so that no call holds Redis for long
	 * however many queues there are. As with Ruby's worker, which pops one queue after
	 * the other, a job pushed onto an earlier queue while later slices are looked at
	 * waits for the next turn.
	 * @param poolId the id of the pool the workers belong to
	 * @param queues the group's queue list
	 * @param runAt the {@code run_at} of jobs taken now
	 * @param turns the workers' requests
	 * @return what each worker found, in the order of {@code turns}
	 */
	public List<Fetch> cycles(String poolId, QueueSpec queues, String runAt, List<Turn> turns) {
		boolean dynamic = queues.isDynamic();
		KnownQueues.Expansion expansion = dynamic ? this.known.expand(queues, false) : null;
		List<String> list = dynamic ? expansion.queues() : queues.inclusions();
		Long expectedSize = dynamic ? expansion.snapshot().size() : null;
		Fetch[] fetches = new Fetch[turns.size()];
		List<Integer> waiting = new ArrayList<>(turns.size());
		for (int t = 0; t < turns.size(); t++) {
			waiting.add(t);
		}
		List<Turn> sent = turns;
		int from = 0;
		while (true) {
			List<String> slice = list.subList(Math.min(from, list.size()), Math.min(from + SLICE, list.size()));
			List<Fetch> found = call(poolId, slice, expectedSize, runAt, sent);
			boolean more = from + SLICE < list.size();
			boolean stale = false;
			List<Integer> next = new ArrayList<>();
			for (int k = 0; k < found.size(); k++) {
				int t = waiting.get(k);
				Fetch fetch = found.get(k);
				if (fetch == STALE) {
					stale = true;
					next.add(t);
				}
				else if (fetch instanceof Fetch.Idle idle && more) {
					fetches[t] = merged(fetches[t], idle);
					next.add(t);
				}
				else {
					fetches[t] = (fetch instanceof Fetch.Idle idle) ? merged(fetches[t], idle) : fetch;
				}
			}
			if (next.isEmpty()) {
				break;
			}
			if (stale) {
				expansion = this.known.expand(queues, true);
				list = expansion.queues();
				// Not checked again: a set that keeps changing must not keep the workers
				// from fetching.
				expectedSize = null;
				from = 0;
			}
			else {
				from += SLICE;
			}
			waiting = next;
			sent = next.stream().map((t) -> new Turn(turns.get(t).workerId(), null, true)).toList();
		}
		List<Fetch> result = new ArrayList<>(fetches.length);
		boolean unreadableSet = dynamic && expansion.snapshot().unreadable();
		for (Fetch fetch : fetches) {
			if (fetch instanceof Fetch.Idle idle && unreadableSet
					&& !idle.unreadableQueues().contains(UNREADABLE_SET)) {
				List<String> unreadable = new ArrayList<>(idle.unreadableQueues());
				unreadable.add(UNREADABLE_SET);
				fetch = new Fetch.Idle(List.copyOf(unreadable));
			}
			result.add(fetch);
		}
		return result;
	}

	private static Fetch.Idle merged(Fetch earlier, Fetch.Idle idle) {
		if (!(earlier instanceof Fetch.Idle before) || before.unreadableQueues().isEmpty()) {
			return idle;
		}
		List<String> unreadable = new ArrayList<>(before.unreadableQueues());
		unreadable.addAll(idle.unreadableQueues());
		return new Fetch.Idle(List.copyOf(unreadable));
	}

	private List<Fetch> call(String poolId, List<String> queues, Long expectedSize, String runAt, List<Turn> turns) {
		Map<String, QueueLimit> limits = this.queueLimits;
		List<String> limited = limits.isEmpty() ? List.of() : queues.stream().filter(limits::containsKey).toList();
		Map<String, List<LimitStore.Slot>> classes = this.classLimits;
		int classValues = 1 + classes.values().stream().mapToInt((slots) -> 2 + 4 * slots.size()).sum();
		byte[][] values = new byte[7 + queues.size() + 4 * limited.size() + classValues + STRIDE * turns.size()][];
		int i = 0;
		values[i++] = prefix();
		values[i++] = bytes(runAt);
		values[i++] = bytes(poolId);
		values[i++] = this.maxPayloadSize;
		values[i++] = (expectedSize != null) ? bytes(String.valueOf(expectedSize)) : EMPTY;
		values[i++] = bytes(String.valueOf(queues.size()));
		for (String queue : queues) {
			values[i++] = bytes(queue);
		}
		values[i++] = bytes(String.valueOf(limited.size()));
		for (String queue : limited) {
			QueueLimit limit = limits.get(queue);
			values[i++] = bytes(queue);
			values[i++] = bytes(String.valueOf(limit.concurrency()));
			values[i++] = bytes(String.valueOf(limit.rate()));
			values[i++] = bytes(String.valueOf(limit.per().toMillis()));
		}
		values[i++] = bytes(String.valueOf(classes.size()));
		for (Map.Entry<String, List<LimitStore.Slot>> entry : classes.entrySet()) {
			values[i++] = bytes(entry.getKey());
			values[i++] = bytes(String.valueOf(entry.getValue().size()));
			for (LimitStore.Slot slot : entry.getValue()) {
				values[i++] = bytes(slot.id());
				values[i++] = bytes(String.valueOf(slot.concurrency()));
				values[i++] = bytes(String.valueOf(slot.rate()));
				values[i++] = bytes(String.valueOf(Math.max(1, slot.per().toMillis())));
			}
		}
		for (Turn turn : turns) {
			Outcome outcome = turn.outcome();
			values[i++] = bytes(turn.workerId());
			values[i++] = (outcome != null) ? bytes(outcome.scriptValue()) : EMPTY;
			values[i++] = (outcome != null) ? bytes(outcome.statusSha()) : EMPTY;
			values[i++] = (outcome != null && outcome.failureEntry() != null) ? bytes(outcome.failureEntry().toJson())
					: EMPTY;
			values[i++] = turn.fetch() ? ONE : ZERO;
			Outcome.Retry retry = (outcome != null) ? outcome.retry() : null;
			values[i++] = (retry != null) ? bytes(retry.key()) : EMPTY;
			values[i++] = (retry != null) ? bytes(retry.numbers()) : EMPTY;
			values[i++] = (retry != null) ? bytes(retry.queue()) : EMPTY;
			values[i++] = (retry != null) ? bytes(retry.item()) : EMPTY;
			values[i++] = (retry != null) ? bytes(retry.job()) : EMPTY;
			values[i++] = (outcome != null && outcome.checkpoint() != null) ? bytes(outcome.checkpoint()) : EMPTY;
		}
		List<Object> results = list(this.connection.eval(this.cycles, ScriptOutputType.MULTI, values));
		List<Fetch> fetches = new ArrayList<>(results.size());
		for (int t = 0; t < results.size(); t++) {
			List<Object> result = list(results.get(t));
			if ("retry".equals(string(result.get(0)))) {
				Outcome.Retry retry = turns.get(t).outcome().retry();
				retry.decided(new Outcome.Decision("retried".equals(string(result.get(1))),
						((Long) result.get(2)).intValue(), (Long) result.get(3)));
				result = result.subList(4, result.size());
			}
			fetches.add(fetch(result));
		}
		return fetches;
	}

	private Fetch fetch(List<Object> result) {
		return switch (string(result.get(0))) {
			case "job" -> new Fetch.Job(string(result.get(1)), (byte[]) result.get(2), string(result.get(3)), false,
					this.taken.incrementAndGet());
			case "resume" -> resumed(string(result.get(1)), string(result.get(2)), this.taken.incrementAndGet());
			case "paused" -> new Fetch.Paused();
			case "recorded" -> new Fetch.Recorded();
			case "unregistered" -> new Fetch.Unregistered();
			case "stale" -> STALE;
			default -> new Fetch.Idle(result.subList(1, result.size()).stream().map(RedisStore::string).toList());
		};
	}

	private static Fetch resumed(String status, String sha, long sequence) {
		WorkerStatus parsed = WorkerStatus.parse(status).orElse(new WorkerStatus("", "", status));
		String payload = (parsed.payload() != null) ? parsed.payload() : status;
		return new Fetch.Job(parsed.queue(), payload.getBytes(StandardCharsets.UTF_8), sha, true, sequence);
	}

	/**
	 * Puts a job a worker could not finish back at the head of its queue, or records it
	 * as a failure, while the worker still holds it. A status it cannot read is never
	 * dropped: it becomes a failure entry.
	 * @param workerId the worker id
	 * @param statusSha the job's status SHA-1
	 * @param failure the failure to record instead of requeueing, or {@code null} to
	 * requeue
	 * @return whether the worker still held the job
	 */
	public boolean requeue(String workerId, String statusSha, FailureRecord failure) {
		Object done = script(this.requeue, ScriptOutputType.INTEGER, List.of(workerId, statusSha,
				(failure != null) ? "fail" : "requeue", (failure != null) ? failure.toJson() : RubyTime.failedAtNow()));
		return Long.valueOf(1).equals(done);
	}

}
