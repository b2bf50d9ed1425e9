package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The wait before a crashed worker is replaced: Spring's {@link ExponentialBackOff} from
 * the initial delay, doubled with every crash in a row up to a cap, with a jitter of
 * about a tenth of each delay so that the pods of a fleet do not restart in lockstep, and
 * forgotten once the group ran two caps' length without a crash. So a bad deploy cannot
 * make the pool thrash. Not thread-safe; its group guards it.
 */
final class Backoff {

	private final ExponentialBackOff policy;

	private final Duration max;

	private BackOffExecution execution;

	private int crashes;

	private Instant lastCrash;

	Backoff(Duration initial, Duration max) {
		this.max = max;
		this.policy = new ExponentialBackOff(Math.max(1, initial.toMillis()), 2.0);
		this.policy.setMaxInterval(Math.max(1, max.toMillis()));
		this.policy.setJitter(Math.max(0, initial.toMillis() / 10));
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
		if (this.crashes == 0) {
			this.execution = this.policy.start();
		}
		this.lastCrash = now;
		this.crashes++;
		long millis = this.execution.nextBackOff();
		return Duration.ofMillis((millis == BackOffExecution.STOP) ? this.max.toMillis() : millis);
	}

	/**
	 * @return how many crashes in a row it counts
	 */
	int crashes() {
		return this.crashes;
	}

}
