/**
 * The supervisor: {@link io.github.resquepool.pool.ResquePool}, its groups of workers,
 * pause, resume, scale and reload, crash restarts with backoff, the idle wake-ups,
 * heartbeats, pruning, recovery of dead pools, job timeouts, and the graceful drain.
 */
package io.github.resquepool.pool;
