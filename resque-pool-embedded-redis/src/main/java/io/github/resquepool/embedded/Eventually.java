package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for an observable condition by polling it, with a bound: the one polling helper
 * of the test kit, for its servers and for tests.
 *
 * <pre>{@code
 * Eventually.within(Duration.ofSeconds(10)).until("the replica to sync", () -> replicaIsUp());
 * String line = Eventually.within(timeout)
 *     .ignoring(UncheckedIOException.class)    // Redis not listening yet: poll again
 *     .untilPresent("a reply", () -> readReply()); // the first value that is not null
 * Eventually.within(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(queue()).isEmpty());
 * }</pre>
 *
 * <p>
 * A condition is polled first at once, then every 20 ms (see
 * {@link #pollingEvery(Duration)}). An exception it throws ends the wait, unless its type
 * was {@linkplain #ignoring(Class) ignored}; the last ignored one is named in the failure
 * and is its cause. An interrupt ends the wait with an {@link IllegalStateException} and
 * leaves the thread's interrupt flag set. Instances are immutable.
 */
public final class Eventually {

	/**
	 * How often a condition is polled unless {@link #pollingEvery(Duration)} says
	 * otherwise.
	 */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(20);

	private final Duration timeout;

	private final Duration pollInterval;

	private final List<Class<? extends Throwable>> ignored;

	private final Supplier<String> detail;

	private Eventually(Duration timeout, Duration pollInterval, List<Class<? extends Throwable>> ignored,
			Supplier<String> detail) {
		this.timeout = timeout;
		this.pollInterval = pollInterval;
		this.ignored = List.copyOf(ignored);
		this.detail = detail;
	}

	/**
	 * Starts a wait that gives up after {@code timeout}.
	 * @param timeout how long to poll at most
	 * @return a wait polling every 20 ms and ignoring no exception
	 */
	public static Eventually within(Duration timeout) {
		return new Eventually(Objects.requireNonNull(timeout, "timeout"), DEFAULT_POLL_INTERVAL, List.of(), null);
	}

	/**
	 * Runs {@code assertion} until it passes, for up to ten seconds: the shorthand tests
	 * use, {@code eventually(() -> assertThat(queue()).isEmpty())}.
	 * @param assertion the assertion
	 * @throws AssertionError its last failure, when it does not pass in time
	 */
	public static void eventually(Runnable assertion) {
		eventually(Duration.ofSeconds(10), assertion);
	}

	/**
	 * Runs {@code assertion} until it passes, for up to {@code timeout}.
	 * @param timeout how long to try at most
	 * @param assertion the assertion
	 * @throws AssertionError its last failure, when it does not pass in time
	 */
	public static void eventually(Duration timeout, Runnable assertion) {
		within(timeout).untilAsserted(assertion);
	}

	/**
	 * Returns this wait with another poll interval.
	 * @param interval the pause between two polls
	 * @return a new wait
	 */
	public Eventually pollingEvery(Duration interval) {
		return new Eventually(this.timeout, Objects.requireNonNull(interval, "interval"), this.ignored, this.detail);
	}

	/**
	 * Returns this wait, also treating exceptions of {@code type} thrown by the condition
	 * as "not yet", for example {@code UncheckedIOException} while a server starts.
	 * @param type the exception type, subtypes included
	 * @return a new wait
	 */
	public Eventually ignoring(Class<? extends Throwable> type) {
		List<Class<? extends Throwable>> types = new ArrayList<>(this.ignored);
		types.add(Objects.requireNonNull(type, "type"));
		return new Eventually(this.timeout, this.pollInterval, types, this.detail);
	}

	/**
	 * Returns this wait with a text added to its failure message, read when it fails, for
	 * example a server's last output lines.
	 * @param detail supplies the text
	 * @return a new wait
	 */
	public Eventually withDetail(Supplier<String> detail) {
		return new Eventually(this.timeout, this.pollInterval, this.ignored, Objects.requireNonNull(detail, "detail"));
	}

	/**
	 * Polls {@code condition} until it returns {@code true}.
	 * @param what what is waited for, for the failure message, such as {@code "Redis on
	 * port 6379 to finish loading"}
	 * @param condition the condition
	 * @throws IllegalStateException when it does not hold within the timeout, or when
	 * interrupted
	 */
	public void until(String what, BooleanSupplier condition) {
		untilPresent(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
	}

	/**
	 * Polls {@code value} until it returns something other than {@code null}.
	 * @param <T> the type of the value
	 * @param what what is waited for, for the failure message
	 * @param value supplies the value, or {@code null} for "not yet"
	 * @return the first value that is not {@code null}
	 * @throws IllegalStateException when none comes within the timeout, or when
	 * interrupted
	 */
	public <T> T untilPresent(String what, Supplier<T> value) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Throwable last = null;
		while (true) {
			try {
				T result = value.get();
				if (result != null) {
					return result;
				}
			}
			catch (RuntimeException | AssertionError ex) {
				if (!isIgnored(ex)) {
					throw ex;
				}
				last = ex;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new IllegalStateException(failureMessage(what, last), last);
			}
			pause(this.pollInterval, what);
		}
	}

	/**
	 * Runs {@code assertion} until it passes: an {@link AssertionError} means "not yet".
	 * @param assertion the assertion, for example an AssertJ {@code assertThat}
	 * @throws AssertionError the last failure of the assertion, when it does not pass
	 * within the timeout
	 * @throws IllegalStateException when interrupted
	 */
	public void untilAsserted(Runnable assertion) {
		try {
			ignoring(AssertionError.class).until("an assertion to pass", () -> {
				assertion.run();
				return true;
			});
		}
		catch (IllegalStateException ex) {
			if (ex.getCause() instanceof AssertionError failure) {
				AssertionError timedOut = new AssertionError(ex.getMessage(), failure);
				timedOut.setStackTrace(failure.getStackTrace());
				throw timedOut;
			}
			throw ex;
		}
	}

	/**
	 * Sleeps between two polls of a bounded wait; an interrupt ends the wait.
	 * @param pause how long
	 * @param what what is waited for, for the message
	 * @throws IllegalStateException when interrupted, with the interrupt flag set again
	 */
	static void pause(Duration pause, String what) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + what, ex);
		}
	}

	private boolean isIgnored(Throwable ex) {
		return this.ignored.stream().anyMatch((type) -> type.isInstance(ex));
	}

	private String failureMessage(String what, Throwable last) {
		String message = "Timed out after " + this.timeout.toMillis() + " ms waiting for " + what;
		if (last != null) {
			message += " (last problem: " + last.getMessage() + ")";
		}
		String text = (this.detail != null) ? this.detail.get() : null;
		return (text != null && !text.isEmpty()) ? message + ". " + text : message;
	}

}
