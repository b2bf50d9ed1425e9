package io.github.resquepool.embedded;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventuallyTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void untilReturnsOnceTheConditionHolds() {
		AtomicInteger polls = new AtomicInteger();

		Eventually.within(WAIT)
			.pollingEvery(Duration.ofMillis(1))
			.until("three polls", () -> polls.incrementAndGet() == 3);

		assertThat(polls).hasValue(3);
	}

	@Test
	void untilFailsAfterTheTimeoutNamingWhatAndTheLastIgnoredProblem() {
		AtomicInteger polls = new AtomicInteger();

		assertThatThrownBy(() -> Eventually.within(Duration.ofMillis(100))
			.ignoring(UncheckedIOException.class)
			.withDetail(() -> "server output here")
			.until("the server to answer", () -> {
				polls.incrementAndGet();
				throw new UncheckedIOException(new java.io.IOException("connection refused"));
			})).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("the server to answer")
			.hasMessageContaining("100 ms")
			.hasMessageContaining("connection refused")
			.hasMessageContaining("server output here")
			.hasCauseInstanceOf(UncheckedIOException.class);
		assertThat(polls.get()).isGreaterThan(1);
	}

	@Test
	void anExceptionThatIsNotIgnoredEndsTheWaitAtOnce() {
		AtomicInteger polls = new AtomicInteger();

		assertThatThrownBy(() -> Eventually.within(WAIT).ignoring(UncheckedIOException.class).until("never", () -> {
			polls.incrementAndGet();
			throw new IllegalArgumentException("bad");
		})).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
		assertThat(polls).hasValue(1);
	}

	@Test
	void untilPresentReturnsTheFirstValueThatIsNotNull() {
		AtomicInteger polls = new AtomicInteger();

		String value = Eventually.within(WAIT)
			.pollingEvery(Duration.ofMillis(1))
			.untilPresent("a value", () -> (polls.incrementAndGet() < 3) ? null : "third");

		assertThat(value).isEqualTo("third");
	}

	@Test
	void untilAssertedRetriesAssertionsAndRethrowsTheLastOne() {
		AtomicInteger polls = new AtomicInteger();

		Eventually.within(WAIT)
			.pollingEvery(Duration.ofMillis(1))
			.untilAsserted(() -> assertThat(polls.incrementAndGet()).isEqualTo(3));
		assertThatThrownBy(() -> Eventually.within(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(polls.incrementAndGet()).isNegative())).isInstanceOf(AssertionError.class)
			.hasMessageContaining("50 ms")
			.hasMessageContaining("to be less than");
	}

	@Test
	void anInterruptEndsTheWaitAndKeepsTheInterruptFlag() {
		Thread.currentThread().interrupt();
		try {
			assertThatThrownBy(() -> Eventually.within(WAIT).until("never", () -> false))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Interrupted");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

}
