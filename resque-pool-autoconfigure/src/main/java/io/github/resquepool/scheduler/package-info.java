/**
 * Redis-free building blocks for running as a peer of Ruby's resque-scheduler: cron lines
 * parsed and stepped as fugit does ({@link io.github.resquepool.scheduler.FugitCron}),
 * {@code every:} durations as rufus-scheduler reads them
 * ({@link io.github.resquepool.scheduler.RufusDuration},
 * {@link io.github.resquepool.scheduler.EveryInterval}), and Ruby's rendering of floats
 * in JSON ({@link io.github.resquepool.scheduler.RubyFloat}).
 */
package io.github.resquepool.scheduler;
