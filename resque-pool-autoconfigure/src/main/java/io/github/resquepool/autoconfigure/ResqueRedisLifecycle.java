package io.github.resquepool.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Closes the pool's Redis connections after the pool has drained and before Spring Boot's
 * Lettuce connection factory (phase 0) shuts its client down; they open again on demand
 * after a restart of the context's lifecycle.
 */
final class ResqueRedisLifecycle implements SmartLifecycle {

	private final ResqueRedis redis;

	private volatile boolean running;

	ResqueRedisLifecycle(ResqueRedis redis) {
		this.redis = redis;
	}

	@Override
	public void start() {
		this.redis.reopen();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.redis.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ResquePool.PHASE / 2;
	}

}
