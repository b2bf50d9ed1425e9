package io.github.resquepool.resque;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * The locks of unique jobs, as workers see them: taken where the job is enqueued
 * ({@link JobStore#enqueue(String, String, UniqueLock)},
 * {@link DelayedStore#delay(long, String, UniqueLock)}), then released when a worker
 * starts the job, or claimed by it and released when it is done.
 */
public final class UniqueStore extends RedisStore {

	private final LuaScript claim = LuaScript.load("unique_claim");

	private final LuaScript release = LuaScript.load("unique_release");

	UniqueStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Releases the lock of a job that is enqueued or delayed (not of one that runs): when
	 * its worker starts it under {@code STARTED}, or when it was removed.
	 * @param lock the lock
	 */
	public void releaseWaiting(UniqueLock lock) {
		script(this.claim, ScriptOutputType.MULTI, List.of(lock.name(), "started", "", lock.ttlMillis()));
	}

	/**
	 * Claims the lock of a job a worker starts, for as long as it runs.
	 * @param lock the lock
	 * @param workerId the worker
	 * @return {@code null} when the worker holds the lock now, else the value of the lock
	 * held by another running copy
	 */
	public String claim(UniqueLock lock, String workerId) {
		List<Object> result = list(script(this.claim, ScriptOutputType.MULTI,
				List.of(lock.name(), "finished", workerId, lock.ttlMillis())));
		return Long.valueOf(1).equals(result.get(0)) ? null : string(result.get(1));
	}

	/**
	 * Releases a lock if the worker still holds it.
	 * @param lock the lock
	 * @param workerId the worker
	 * @return whether it was released
	 */
	public boolean release(UniqueLock lock, String workerId) {
		return Long.valueOf(1).equals(script(this.release, ScriptOutputType.INTEGER, List.of(lock.name(), workerId)));
	}

	/**
	 * Hands the lock of a job that goes back to its queue (it stopped at a checkpoint) to
	 * that waiting copy, if the worker still holds it: whichever worker takes the job
	 * next claims it.
	 * @param lock the lock
	 * @param workerId the worker
	 * @param queue the queue the job goes back to
	 * @return whether the worker held it
	 */
	public boolean requeued(UniqueLock lock, String workerId, String queue) {
		return Long.valueOf(1)
			.equals(script(this.release, ScriptOutputType.INTEGER,
					List.of(lock.name(), workerId, queue, lock.ttlMillis())));
	}

	/**
	 * @param lock a lock
	 * @return its value, or {@code null} when it is free
	 */
	public String holder(UniqueLock lock) {
		return string(this.connection.call((c) -> c.get(this.keys.key(lock.name()))));
	}

}
