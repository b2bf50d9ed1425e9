package io.github.resquepool.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;

import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Gauges read from Redis by one background thread, at most once per refresh interval,
 * whatever the number of registries and scrapes: a scrape only reads the last values. The
 * thread runs while the application context runs, in the pool's lifecycle phase, so it
 * never reads Redis after the pool's connections are closed.
 */
abstract class PeriodicRefresh implements SmartLifecycle {

	private final String threadName;

	private final Duration refreshInterval;

	private final ResqueThreads threads;

	private ScheduledExecutorService refresher;

	/**
	 * @param threadName the name of the background thread
	 * @param refreshInterval how often {@link #refresh()} runs
	 * @param threads makes the thread
	 */
	PeriodicRefresh(String threadName, Duration refreshInterval, ResqueThreads threads) {
		this.threadName = threadName;
		this.refreshInterval = refreshInterval;
		this.threads = threads;
	}

	/**
	 * Reads the values now and updates the gauges; keeps the last values when the read
	 * fails (a throwing task would also end the scheduled refreshes).
	 */
	abstract void refresh();

	/** Starts refreshing in the background, the first time at once. */
	@Override
	public synchronized void start() {
		if (this.refresher == null) {
			this.refresher = Executors.newSingleThreadScheduledExecutor(this.threads.factory(this.threadName, true));
			this.refresher.scheduleWithFixedDelay(this::refresh, 0, this.refreshInterval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/** Stops the background thread; the gauges keep their last values. */
	@Override
	public synchronized void stop() {
		if (this.refresher != null) {
			this.refresher.shutdownNow();
			this.refresher = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.refresher != null;
	}

	@Override
	public int getPhase() {
		return ResquePool.PHASE;
	}

}
