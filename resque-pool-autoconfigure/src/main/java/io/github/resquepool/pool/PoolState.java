package io.github.resquepool.pool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pool's parts read of the pool as a whole: whether it runs, whether it is
 * paused, whether its first beat went through (so that workers may start), and how many
 * jobs its workers ended. Written by the pool and its liveness only; every field is read
 * without waiting.
 */
final class PoolState {

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile Lifecycle lifecycle = Lifecycle.NEW;

	private volatile boolean paused;

	private volatile boolean registered;

	private volatile String intakeHeld;

	private volatile String drainReason;

	PoolState(boolean paused) {
		this.paused = paused;
	}

	/**
	 * @return whether the whole pool is paused
	 */
	boolean isPaused() {
		return this.paused;
	}

	void setPaused(boolean paused) {
		this.paused = paused;
	}

	/**
	 * Holds or releases the pool's intake of new jobs (its heap is above the memory
	 * limit), apart from a pause.
	 * @param reason why, or {@code null} to release it
	 */
	void holdIntake(String reason) {
		this.intakeHeld = reason;
	}

	/**
	 * @return whether the pool takes no new job now for a reason other than a pause
	 */
	boolean intakeHeld() {
		return this.intakeHeld != null;
	}

	/**
	 * Records why the pool drains and its application exits.
	 * @param reason the reason
	 */
	void draining(String reason) {
		this.drainReason = reason;
	}

	/**
	 * @return why the pool drains on its own (its memory limit), or {@code null}
	 */
	String drainReason() {
		return this.drainReason;
	}

	Lifecycle lifecycle() {
		return this.lifecycle;
	}

	void setLifecycle(Lifecycle lifecycle) {
		this.lifecycle = lifecycle;
		if (lifecycle == Lifecycle.RUNNING) {
			this.registered = false;
		}
	}

	/** The first beat of this run went through. */
	void registered() {
		this.registered = true;
	}

	/**
	 * @return whether workers may start: the pool runs and its first beat went through
	 */
	boolean canStartWorkers() {
		return this.lifecycle == Lifecycle.RUNNING && this.registered;
	}

	/**
	 * Counts a job that ended.
	 * @param failed whether it failed
	 */
	void jobEnded(boolean failed) {
		this.processed.incrementAndGet();
		if (failed) {
			this.failed.incrementAndGet();
		}
	}

	long processed() {
		return this.processed.get();
	}

	long failed() {
		return this.failed.get();
	}

	/** The pool's own lifecycle. */
	enum Lifecycle {

		NEW, RUNNING, STOPPING, STOPPED

	}

}
