package io.github.resquepool.pool;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.thread.ResqueThreads;

/**
 * One named thread of the pool that runs duties, once or every so often. A duty that
 * fails is logged (unless Redis is known to be away, which {@link Connectivity} logs
 * once) and runs again at its next turn; none can stop the others. After {@link #stop()}
 * nothing new runs.
 */
final class PoolThread {

	private static final Log logger = LogFactory.getLog(PoolThread.class);

	private final ScheduledThreadPoolExecutor executor;

	private final Connectivity connectivity;

	PoolThread(String name, boolean daemon, Connectivity connectivity, ResqueThreads threads) {
		this.connectivity = connectivity;
		this.executor = new ScheduledThreadPoolExecutor(1, threads.factory(name, daemon));
		this.executor.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Runs a duty now and then every period after each run ends.
	 * @param initialDelay the wait before the first run
	 * @param period the wait between runs
	 * @param name the duty's name, for the log
	 * @param task the duty
	 */
	void every(Duration initialDelay, Duration period, String name, Runnable task) {
		long millis = Math.max(10, period.toMillis());
		this.executor.scheduleWithFixedDelay(() -> guarded(name, task), initialDelay.toMillis(), millis,
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs a duty once, as soon as the thread is free; does nothing once stopped.
	 * @param name the duty's name, for the log
	 * @param task the duty
	 */
	void execute(String name, Runnable task) {
		try {
			this.executor.execute(() -> guarded(name, task));
		}
		catch (RejectedExecutionException ex) {
			// stopped
		}
	}

	/**
	 * Runs a duty once after a delay; does nothing once stopped.
	 * @param delay the delay
	 * @param task the duty
	 */
	void schedule(Duration delay, Runnable task) {
		try {
			this.executor.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopped
		}
	}

	/**
	 * @return whether {@link #stop()} was called
	 */
	boolean isStopped() {
		return this.executor.isShutdown();
	}

	/** Stops the thread, waiting briefly for a duty under way. */
	void stop() {
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void guarded(String name, Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			// Redis outages are logged once by Connectivity; anything else is worth
			// seeing.
			if (this.connectivity.isUp()) {
				logger.warn("resque-pool " + name + " failed; retrying at its next turn", ex);
			}
		}
	}

}
