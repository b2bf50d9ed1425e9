package io.github.resquepool.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.github.resquepool.pool.PoolSignals;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Installs the pool's signal handlers ({@code resque.pool.signals.enabled=true}) while
 * the pool runs.
 */
final class PoolSignalsLifecycle implements SmartLifecycle {

	private final PoolSignals signals;

	private volatile boolean running;

	PoolSignalsLifecycle(ResquePool pool, ResqueThreads threads) {
		this.signals = new PoolSignals(pool, threads);
	}

	@Override
	public void start() {
		this.signals.install();
		this.running = true;
	}

	@Override
	public void stop() {
		this.signals.uninstall();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ResquePool.PHASE + 1;
	}

}
