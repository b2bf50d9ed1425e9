package io.github.resquepool.resque;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * resque-scheduler's master lock,
 * {@code <ns>:<ns>:[<prefix>:]resque_scheduler_master_lock} (the gem builds the key with
 * the namespace and its Redis client adds the namespace again), a string holding the
 * holder's {@code host:pid} with a TTL. Exactly one scheduler, Java or Ruby, acts while
 * it holds it.
 */
public final class MasterLockStore extends RedisStore {

	private static final String NAME = "resque_scheduler_master_lock";

	private final LuaScript lock = LuaScript.load("master_lock");

	private final LuaScript unlock = LuaScript.load("master_unlock");

	MasterLockStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * @param lockPrefix the gem's {@code RESQUE_SCHEDULER_MASTER_LOCK_PREFIX}, empty for
	 * none
	 * @return the lock key without the pool's prefix, as the scripts take it
	 */
	public String lockKey(String lockPrefix) {
		String prefix = (lockPrefix == null || lockPrefix.isEmpty()) ? "" : lockPrefix + ":";
		return this.keys.namespace().isEmpty() ? prefix + NAME : this.keys.namespace() + ":" + prefix + NAME;
	}

	/**
	 * Takes the lock when it is free, or renews it when {@code value} holds it.
	 * @param lockKey the key from {@link #lockKey}
	 * @param value this scheduler's value
	 * @param timeoutSeconds the TTL
	 * @return whether {@code value} holds the lock now
	 */
	public boolean acquireOrRenew(String lockKey, String value, long timeoutSeconds) {
		return Long.valueOf(1)
			.equals(script(this.lock, ScriptOutputType.INTEGER,
					List.of(lockKey, value, Long.toString(timeoutSeconds))));
	}

	/**
	 * Releases the lock if {@code value} holds it.
	 * @param lockKey the key from {@link #lockKey}
	 * @param value this scheduler's value
	 * @return whether it was held and is now released
	 */
	public boolean release(String lockKey, String value) {
		return Long.valueOf(1).equals(script(this.unlock, ScriptOutputType.INTEGER, List.of(lockKey, value)));
	}

	/**
	 * @param lockKey the key from {@link #lockKey}
	 * @return the holder's value, or {@code null} when nobody holds it
	 */
	public String holder(String lockKey) {
		return string(this.connection.call((c) -> c.get(this.keys.key(lockKey))));
	}

}
