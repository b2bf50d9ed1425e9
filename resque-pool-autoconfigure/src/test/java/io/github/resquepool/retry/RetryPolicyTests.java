package io.github.resquepool.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.resquepool.job.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RetryPolicy}'s waits: exponential, capped, spread by a jitter that grows with
 * them and never leaves {@code [retryDelay, retryMaxDelay]}.
 */
class RetryPolicyTests {

	private final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5),
			Duration.ofSeconds(4));

	@Test
	void waitsGrowByTheMultiplierUpToTheMaximumDelay() {
		assertThat(this.policy.delayOf(1, 0.5)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.policy.delayOf(2, 0.5)).isEqualTo(Duration.ofSeconds(20));
		assertThat(this.policy.delayOf(3, 0.5)).isEqualTo(Duration.ofSeconds(40));
		assertThat(this.policy.delayOf(6, 0.5)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void jitterSpreadsEachWaitByTheScaledJitterWithinTheBounds() {
		assertThat(this.policy.delayOf(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.policy.delayOf(1, 0.999)).isBetween(Duration.ofMillis(13_900), Duration.ofSeconds(14));
		assertThat(this.policy.delayOf(3, 0.0)).isEqualTo(Duration.ofSeconds(24));
		assertThat(this.policy.delayOf(3, 0.999)).isBetween(Duration.ofMillis(55_900), Duration.ofSeconds(56));
		assertThat(this.policy.delayOf(9, 0.999)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void refusesAMultiplierBelowOneAndAMaximumBelowTheDelay() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(1), 0.5, Duration.ofHours(1), Duration.ZERO))
			.withMessageContaining("retryMultiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(10), 2, Duration.ofSeconds(1), Duration.ZERO))
			.withMessageContaining("retryMaxDelay");
	}

}
