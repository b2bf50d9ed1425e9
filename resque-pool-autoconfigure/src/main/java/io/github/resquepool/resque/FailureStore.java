package io.github.resquepool.resque;

import java.util.List;

/**
 * Resque's {@code failed} list, read and changed the way Ruby's Redis failure backend
 * does.
 */
public final class FailureStore extends RedisStore {

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
