package io.github.resquepool.resque;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;

/**
 * Resque's queues as Ruby keeps them: the {@code queues} set, one list per queue, and the
 * {@code pause-all-workers} flag.
 */
public final class QueueStore extends RedisStore {

	private final LuaScript clear = LuaScript.load("queue_clear");

	QueueStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Reads the {@code queues} set with {@code SSCAN}, a thousand members per command, so
	 * that a set of tens of thousands of queues never holds Redis for long.
	 * @return the members of the {@code queues} set (none when the key is not a set)
	 */
	public Set<String> names() {
		try {
			Set<String> names = new TreeSet<>();
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				ScanCursor from = cursor;
				ValueScanCursor<byte[]> step = this.connection
					.call((c) -> c.sscan(this.keys.queues(), from, ScanArgs.Builder.limit(1000)));
				names.addAll(strings(step.getValues()));
				cursor = step;
			}
			while (!cursor.isFinished());
			return names;
		}
		catch (RedisErrors.WrongTypeException ex) {
			return Set.of();
		}
	}

	/**
	 * @param queue a queue name
	 * @return the number of jobs waiting in it (0 when its key is not a list)
	 */
	public long size(String queue) {
		try {
			return this.connection.call((c) -> c.llen(this.keys.queue(queue)));
		}
		catch (RedisErrors.WrongTypeException ex) {
			return 0;
		}
	}

	/**
	 * Deletes a queue as {@code Resque.remove_queue} does (its list, with UNLINK, and its
	 * name in {@code queues}), in one atomic step; only a queue: a list, or a name of
	 * {@code queues}.
	 * @param queue the queue
	 * @return how many jobs were dropped
	 * @throws NoSuchElementException when there is no such queue
	 * @throws IllegalArgumentException when the queue's key holds something else than a
	 * list
	 */
	public long clear(String queue) {
		Object result = script(this.clear, ScriptOutputType.INTEGER, List.of(queue));
		if (result == null || Long.valueOf(-1).equals(result)) {
			throw new NoSuchElementException("There is no queue named '" + queue + "'.");
		}
		if (Long.valueOf(-2).equals(result)) {
			throw new IllegalArgumentException("The key of '" + queue + "' holds something else than a queue's list.");
		}
		return (Long) result;
	}

	/**
	 * Reads queue elements without taking them.
	 * @param queue a queue name
	 * @param start first index
	 * @param stop last index, inclusive
	 * @return the payload texts
	 */
	public List<String> peek(String queue, long start, long stop) {
		return stringList(this.connection.call((c) -> c.lrange(this.keys.queue(queue), start, stop)));
	}

	/**
	 * Removes every element equal to a payload from a queue (LREM 0), as Ruby's
	 * {@code Resque.dequeue} with arguments.
	 * @param queue the queue
	 * @param payload the payload text
	 * @return how many were removed
	 */
	public long remove(String queue, String payload) {
		return this.connection.call((c) -> c.lrem(this.keys.queue(queue), 0, bytes(payload)));
	}

	/**
	 * Removes every job of a class from a queue, as Ruby's {@code Resque.dequeue} without
	 * arguments: each element is read and the matching ones removed one by one.
	 * @param queue the queue
	 * @param className the class name
	 * @return how many were removed
	 */
	public long removeClass(String queue, String className) {
		long removed = 0;
		for (String payload : peek(queue, 0, -1)) {
			if (JobPayload.tryParse(payload).filter((p) -> p.className().equals(className)).isPresent()) {
				removed += this.connection.call((c) -> c.lrem(this.keys.queue(queue), 1, bytes(payload)));
			}
		}
		return removed;
	}

	/**
	 * @return whether {@code pause-all-workers} is set the way Ruby reads it
	 */
	public boolean pauseAllWorkers() {
		String value = string(this.connection.call((c) -> c.get(this.keys.pauseAllWorkers())));
		return value != null && value.strip().equalsIgnoreCase("true");
	}

}
