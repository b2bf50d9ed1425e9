package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MemoryGuardTests {

	private static final long MB = 1024 * 1024;

	private final PoolState state = new PoolState(false);

	private final AtomicInteger wakes = new AtomicInteger();

	private final List<MemoryGuard.Exceeded> exceeded = new CopyOnWriteArrayList<>();

	@Test
	void aCollectionAboveTheLimitHoldsTheIntakeAndOneBelowReleasesIt() {
		MemoryGuard guard = guard(Duration.ofMinutes(1));
		guard.afterCollection(90 * MB);
		assertThat(this.state.intakeHeld()).isFalse();
		guard.afterCollection(120 * MB);
		assertThat(this.state.intakeHeld()).isTrue();
		assertThat(this.wakes).hasValue(0);
		guard.afterCollection(80 * MB);
		assertThat(this.state.intakeHeld()).isFalse();
		assertThat(this.wakes).hasValue(1);
		assertThat(this.exceeded).isEmpty();
		assertThat(this.state.drainReason()).isNull();
	}

	@Test
	void stayingAboveForTheGraceHandsOverOnceWithTheReason() {
		MemoryGuard guard = guard(Duration.ZERO);
		guard.afterCollection(150 * MB);
		guard.check();
		guard.afterCollection(160 * MB);
		assertThat(this.exceeded).singleElement().satisfies((e) -> {
			assertThat(e.usedBytes()).isEqualTo(150 * MB);
			assertThat(e.reason()).contains("150MB").contains("100MB").contains("memory-limit-grace");
		});
		// Once draining, a collection below the limit does not take jobs again.
		guard.afterCollection(10 * MB);
		assertThat(this.state.intakeHeld()).isTrue();
	}

	@Test
	void limitsAreSizesOrSharesOfTheMaximumHeap() {
		long heap = 1000 * MB;
		assertThat(MemoryLimit.parse("800MB", Duration.ofMinutes(1), heap).bytes()).isEqualTo(800 * MB);
		assertThat(MemoryLimit.parse(" 85% ", Duration.ofMinutes(1), heap).bytes()).isEqualTo(850 * MB);
		for (String bad : new String[] { "lots", "0%", "100%", "150%", "-5MB", "0MB", "2GB", "85 percent", "%" }) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> MemoryLimit.parse(bad, Duration.ofMinutes(1), heap));
		}
	}

	private MemoryGuard guard(Duration grace) {
		return new MemoryGuard(new MemoryLimit(100 * MB, grace, "100MB"), this.state, this.wakes::incrementAndGet,
				this.exceeded::add);
	}

}
