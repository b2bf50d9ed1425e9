package io.github.resquepool.resque;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;

/**
 * Resque's queues as Ruby keeps them: the {@code queues} set, one list per queue, and the
 * {@code pause-all-workers} flag.
 */
public final class QueueStore extends RedisStore {

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
