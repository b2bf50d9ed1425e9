package io.github.resquepool.pool;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Backoff}: the policy itself, without waiting for any of its delays.
 */
class BackoffTests {

	private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

	@Test
	void delaysDoubleWithEveryCrashInARowUpToTheCapWithATenthOfJitter() {
		Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofMillis(800));
		assertThat(backoff.crashed(T0).toMillis()).isBetween(180L, 220L);
		assertThat(backoff.crashed(T0.plusMillis(200)).toMillis()).isBetween(360L, 440L);
		assertThat(backoff.crashed(T0.plusMillis(600)).toMillis()).isBetween(720L, 800L);
		assertThat(backoff.crashed(T0.plusMillis(1400)).toMillis()).isBetween(720L, 800L);
		assertThat(backoff.crashes()).isEqualTo(4);
	}

	@Test
	void aGroupThatRanTwiceTheCapWithoutACrashStartsOverFromTheInitialDelay() {
		Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofMillis(800));
		backoff.crashed(T0);
		backoff.crashed(T0.plusMillis(200));
		Duration afterQuiet = backoff.crashed(T0.plusMillis(200 + 1601));
		assertThat(afterQuiet.toMillis()).isBetween(180L, 220L);
		assertThat(backoff.crashes()).isEqualTo(1);
	}

}
