/**
 * Cron lines parsed and stepped as fugit, the parser behind rufus-scheduler and
 * resque-scheduler, does ({@link io.github.resquepool.scheduler.cron.FugitCron}): its
 * syntax (macros, names, ranges, {@code L}, {@code #n}, a trailing time zone), its
 * matching and its stepping across daylight-saving changes. Written here rather than
 * taken from a Java cron library because schedules shared with Ruby must fire at the same
 * instants in both.
 */
package io.github.resquepool.scheduler.cron;
