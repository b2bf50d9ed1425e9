package io.github.resquepool.job;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a job that failed is tried again, from the retry attributes of
 * {@link ResqueJob @ResqueJob} (named after Spring Framework 7's {@code @Retryable}): the
 * <em>n</em>-th retry waits {@code min(delay * multiplier^(n-1), maxDelay)}, moved at
 * random by up to {@code jitter * multiplier^(n-1)} either way, but never below
 * {@code delay} nor above {@code maxDelay} (Spring's {@code ExponentialBackOff} rule).
 *
 * @param maxRetries how many times a failed job is tried again; 0 for never
 * @param delay the wait before the first retry
 * @param multiplier what each further wait is multiplied by, at least 1
 * @param maxDelay the longest wait
 * @param jitter the most a wait (before the multiplier) moves either way at random; zero
 * for none
 */
public record RetryPolicy(int maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter) {

	/** No retries. */
	public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofSeconds(10), 2.0, Duration.ofHours(1),
			Duration.ofSeconds(5));

	/**
	 * Creates a policy.
	 * @param maxRetries how many retries, not negative
	 * @param delay the first wait, not negative
	 * @param multiplier the growth, at least 1
	 * @param maxDelay the longest wait, not below {@code delay}
	 * @param jitter the random spread, not negative
	 */
	public RetryPolicy {
		Assert.isTrue(maxRetries >= 0, () -> "maxRetries " + maxRetries + " is negative");
		Assert.notNull(delay, "'delay' must not be null");
		Assert.notNull(maxDelay, "'maxDelay' must not be null");
		Assert.notNull(jitter, "'jitter' must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "retryDelay " + delay + " is negative");
		Assert.isTrue(multiplier >= 1.0 && Double.isFinite(multiplier),
				() -> "retryMultiplier " + multiplier + " is not a finite number of at least 1");
		Assert.isTrue(maxDelay.compareTo(delay) >= 0,
				() -> "retryMaxDelay " + maxDelay + " is shorter than retryDelay " + delay);
		Assert.isTrue(!jitter.isNegative(), () -> "retryJitter " + jitter + " is negative");
	}

	/**
	 * @return whether a failed job is ever tried again
	 */
	public boolean retries() {
		return this.maxRetries > 0;
	}

	/**
	 * The wait before a given retry for a given random draw, as the retry script computes
	 * it.
	 * @param retry the retry, 1 for the first
	 * @param random a number in {@code [0, 1)}
	 * @return the wait
	 */
	public Duration delayOf(int retry, double random) {
		double scale = Math.pow(this.multiplier, retry - 1);
		double base = this.delay.toMillis();
		double max = this.maxDelay.toMillis();
		double wait = Math.min(base * scale, max);
		double spread = this.jitter.toMillis() * scale;
		wait = wait - spread + 2 * spread * random;
		return Duration.ofMillis((long) Math.floor(Math.max(base, Math.min(max, wait))));
	}

}
