package io.github.resquepool.scheduler;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.resquepool.resque.MasterLockStore;

/**
 * This scheduler's side of resque-scheduler's master lock: its value
 * ({@code <host>:<pid>} as the gem's, with {@code -<n>} on the pid for a second scheduler
 * of the same JVM) and whether it held the lock at the last check.
 */
final class MasterLock {

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final MasterLockStore store;

	private final String key;

	private final String value;

	private final long timeoutSeconds;

	private volatile boolean held;

	MasterLock(MasterLockStore store, SchedulerSettings settings, String hostname) {
		this.store = store;
		this.key = store.lockKey(settings.lockPrefix());
		int instance = INSTANCES.incrementAndGet();
		long pid = ProcessHandle.current().pid();
		this.value = hostname + ":" + pid + ((instance > 1) ? "-" + instance : "");
		this.timeoutSeconds = settings.lockTimeout().toSeconds();
	}

	/**
	 * Takes or renews the lock.
	 * @return whether the lock changed hands to or from this scheduler
	 */
	boolean check() {
		boolean now = this.store.acquireOrRenew(this.key, this.value, this.timeoutSeconds);
		boolean changed = now != this.held;
		this.held = now;
		return changed;
	}

	/** Forgets the lock without touching Redis, as after a failed check. */
	boolean lost() {
		boolean changed = this.held;
		this.held = false;
		return changed;
	}

	/** Releases the lock if held. */
	void release() {
		if (this.held) {
			this.held = false;
			this.store.release(this.key, this.value);
		}
	}

	boolean held() {
		return this.held;
	}

	String value() {
		return this.value;
	}

	String key() {
		return this.key;
	}

	String holder() {
		return this.store.holder(this.key);
	}

}
