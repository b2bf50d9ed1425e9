package io.github.resquepool.resque;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * Resque's {@code failed} list, read and changed the way Ruby's Redis failure backend
 * does.
 */
public final class FailureStore extends RedisStore {

	private final LuaScript retry = LuaScript.load("failure_retry");

	private final LuaScript remove = LuaScript.load("failure_remove");

	FailureStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * @return the length of the {@code failed} list
	 */
	public long count() {
		return this.connection.call((c) -> c.llen(this.keys.failed()));
	}

	/**
	 * @param start first index
	 * @param stop last index, inclusive
	 * @return the raw failure entries
	 */
	public List<String> range(long start, long stop) {
		return stringList(this.connection.call((c) -> c.lrange(this.keys.failed(), start, stop)));
	}

	/**
	 * Reads failure entries as they are stored, so that one that is not valid UTF-8 can
	 * still be compared and addressed.
	 * @param start first index
	 * @param stop last index, inclusive
	 * @return the entries' bytes
	 */
	public List<byte[]> entries(long start, long stop) {
		return this.connection.call((c) -> c.lrange(this.keys.failed(), start, stop));
	}

	/**
	 * Retries a failure entry as {@code Resque::Failure.requeue} does, only while the
	 * entry at its index is still, byte for byte, the one read: marks it (LSET) and
	 * pushes the retry payload to its queue as {@link JobStore#enqueue} does, in one
	 * atomic step.
	 * @param index the entry's index
	 * @param read the entry's bytes as read
	 * @param marked the entry marked {@code retried_at}
	 * @param queue the queue to retry on
	 * @param payload the payload to push
	 * @return whether it was retried (false when the entry at that index changed)
	 */
	public boolean retryIfSame(long index, byte[] read, String marked, String queue, String payload) {
		Object done = this.connection.eval(this.retry, ScriptOutputType.INTEGER, new byte[][] { prefix(),
				bytes(Long.toString(index)), read, bytes(marked), bytes(queue), bytes(payload) });
		return Long.valueOf(1).equals(done);
	}

	/**
	 * Removes a failure entry as Ruby does (LSET {@code ""}, then LREM one {@code ""}),
	 * only while the entry at its index is still, byte for byte, the one read, in one
	 * atomic step.
	 * @param index the entry's index
	 * @param read the entry's bytes as read
	 * @return whether it was removed (false when the entry at that index changed)
	 */
	public boolean removeIfSame(long index, byte[] read) {
		Object done = this.connection.eval(this.remove, ScriptOutputType.INTEGER,
				new byte[][] { prefix(), bytes(Long.toString(index)), read });
		return Long.valueOf(1).equals(done);
	}

	/**
	 * @return the count in Resque's {@code stat:failed}, 0 when it is absent or not a
	 * number
	 */
	public long failedStat() {
		return number(this.connection.call((c) -> c.get(this.keys.failedCount())));
	}

	/**
	 * Replaces a failure entry ({@code LSET}).
	 * @param index the index
	 * @param entry the new text
	 */
	public void set(long index, String entry) {
		this.connection.call((c) -> c.lset(this.keys.failed(), index, bytes(entry)));
	}

	/**
	 * Removes a failure entry as Ruby does: LSET it to {@code ""}, then LREM one
	 * {@code ""}.
	 * @param index the index
	 */
	public void remove(long index) {
		this.connection.call((c) -> c.lset(this.keys.failed(), index, new byte[0]));
		this.connection.call((c) -> c.lrem(this.keys.failed(), 1, new byte[0]));
	}

	/** Deletes the {@code failed} list. */
	public void clear() {
		this.connection.call((c) -> c.del(this.keys.failed()));
	}

}
