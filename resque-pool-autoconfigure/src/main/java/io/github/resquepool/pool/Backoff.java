package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * The wait before a crashed worker is replaced: the initial delay, doubled with every crash in a
 * row up to a cap, and forgotten once the group ran a cap's length without a crash. So a bad
 * deploy cannot make the pool thrash. Not thread-safe; its group guards it.
 */
final class Backoff {

	private final Duration initial;

	private final Duration max;

	private int crashes;

	private Instant lastCrash;

	Backoff(Duration initial, Duration max) {
		this.initial = initial;
		this.max = max;
	}

	/**
	 * Records a crash.
	 * @param now the time of the crash
	 * @return how long to wait before the next start
	 */
	Duration crashed(Instant now) {
		if (this.lastCrash != null && Duration.between(this.lastCrash, now).compareTo(this.max.multipliedBy(2)) > 0) {
			this.crashes = 0;
		}
		this.lastCrash = now;
		this.crashes++;
		return delay();
	}

	Duration delay() {
		if (this.crashes == 0) {
			return Duration.ZERO;
		}
		long factor = 1L << Math.min(this.crashes - 1, 30);
		Duration delay = this.initial.multipliedBy(factor);
		return (delay.compareTo(this.max) > 0 || delay.isNegative()) ? this.max : delay;
	}

	/** @return how many crashes in a row it counts */
	int crashes() {
		return this.crashes;
	}

}
