package io.github.resquepool.resque;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the pool last knew about its Redis connection. Every command reports its outcome
 * here, so readers (the health contributor, the endpoint) answer at once, even while
 * Redis hangs. An outage is logged once when it starts, at most once a minute while it
 * lasts, and once when it ends; never once per worker.
 */
public final class Connectivity {

	private static final Log logger = LogFactory.getLog(Connectivity.class);

	private static final Duration REMINDER = Duration.ofMinutes(1);

	private final Clock clock;

	private final AtomicReference<State> state;

	private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();

	/**
	 * Whether the command connection is open, asked on every read so a disconnect shows
	 * at once.
	 */
	private volatile BooleanSupplier connected = () -> true;

	/**
	 * Creates the tracker, assuming Redis is reachable until a command says otherwise.
	 * @param clock the clock
	 */
	public Connectivity(Clock clock) {
		this.clock = clock;
		this.state = new AtomicReference<>(new State(true, clock.instant(), null, clock.instant()));
	}

	/** Records that a command succeeded. */
	public void succeeded() {
		State current = this.state.get();
		if (current.up()) {
			return;
		}
		Instant now = this.clock.instant();
		if (this.state.compareAndSet(current, new State(true, now, null, now))) {
			logger.info("Redis is reachable again after " + Duration.between(current.since(), now).toSeconds()
					+ " s; resque-pool resumes");
			this.recoveryListeners.forEach(Runnable::run);
		}
	}

	/**
	 * Registers a task to run when Redis becomes reachable again after an outage, on the
	 * thread whose command noticed it; it should only hand work to another thread.
	 * @param listener the task
	 */
	public void onRecovery(Runnable listener) {
		this.recoveryListeners.add(listener);
	}

	/**
	 * Removes a task registered with {@link #onRecovery(Runnable)}.
	 * @param listener the task
	 */
	public void removeOnRecovery(Runnable listener) {
		this.recoveryListeners.remove(listener);
	}

	/**
	 * Records that a command failed for lack of Redis.
	 * @param error the failure
	 */
	public void failed(Throwable error) {
		Instant now = this.clock.instant();
		while (true) {
			State current = this.state.get();
			if (current.up()) {
				if (this.state.compareAndSet(current, new State(false, now, describe(error), now))) {
					logger.warn("Redis is unreachable (" + describe(error)
							+ "); resque-pool keeps its workers and retries with backoff");
					return;
				}
			}
			else if (Duration.between(current.lastLog(), now).compareTo(REMINDER) >= 0) {
				if (this.state.compareAndSet(current, new State(false, current.since(), describe(error), now))) {
					logger.warn("Redis still unreachable after " + Duration.between(current.since(), now).toSeconds()
							+ " s (" + describe(error) + ")");
					return;
				}
			}
			else {
				return;
			}
		}
	}

	/**
	 * Makes {@link #isUp()} also ask whether the connection is open now, so that a
	 * disconnect shows at once, before any command fails.
	 * @param connected tells whether the command connection is open
	 */
	void watch(BooleanSupplier connected) {
		this.connected = connected;
	}

	/**
	 * @return whether the last command reached Redis and the connection is open now
	 */
	public boolean isUp() {
		return this.state.get().up() && this.connected.getAsBoolean();
	}

	/**
	 * @return since when Redis has been reachable or unreachable
	 */
	public Instant since() {
		return this.state.get().since();
	}

	/**
	 * @return the last error while Redis is unreachable, else {@code null}
	 */
	public String lastError() {
		State current = this.state.get();
		if (current.up() && !this.connected.getAsBoolean()) {
			return "the connection to Redis is closed or reconnecting";
		}
		return current.error();
	}

	private static String describe(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	private record State(boolean up, Instant since, String error, Instant lastLog) {
	}

}
