package io.github.resquepool.pool;

/**
 * What a {@link WorkerGroup} depends on, all below it: the pool's settings, a read-only
 * view of the pool's state, the launcher of its workers, the scheduler of its converges
 * (the supervisor thread), the sink of its events, and a way to beat soon when a change
 * is one the fleet waits for.
 *
 * @param settings the pool's settings
 * @param pool the pool's state
 * @param launcher makes, registers, starts and unregisters workers
 * @param scheduler the thread converges run on
 * @param events publishes events and calls listeners
 * @param beatSoon asks for a beat without waiting for the next interval
 */
record GroupContext(PoolSettings settings, PoolState pool, PoolWorkers launcher, PoolThread scheduler,
		PoolEventSink events, Runnable beatSoon) {

}
