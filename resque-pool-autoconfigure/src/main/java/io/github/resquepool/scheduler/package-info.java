/**
 * The resque-scheduler peer: the master lock, moves of due delayed items and recurring
 * firings ({@link io.github.resquepool.scheduler.ResqueScheduler}), and {@code every:}
 * durations as rufus-scheduler reads them
 * ({@link io.github.resquepool.scheduler.RufusDuration},
 * {@link io.github.resquepool.scheduler.EveryInterval}). Cron lines live in
 * {@link io.github.resquepool.scheduler.cron}.
 */
package io.github.resquepool.scheduler;
