package io.github.resquepool.worker;

import java.time.Clock;
import java.time.Duration;

import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.CheckpointStore;
import io.github.resquepool.resque.LimitStore;

/**
 * What every worker of a pool shares: how jobs are found and run, where checkpoints go,
 * and the limits of a run and of a worker's life.
 *
 * @param registry the job handlers
 * @param invoker runs a job through its interceptors and handler; its mapper reads and
 * writes cursors
 * @param checkpoints where checkpointing jobs keep their cursor and progress
 * @param limits the slots of fleet-wide limits, or {@code null} to run jobs unlimited
 * @param defaultTimeout the timeout of jobs whose handler declares none, or {@code null}
 * @param maxRunTime how long a checkpointing job runs before it stops at a checkpoint and
 * goes back to the tail of its queue, or {@code null} for no limit
 * @param maxJobs how many jobs a worker runs before a fresh one replaces it, 0 for no
 * limit
 * @param clock the clock
 */
public record WorkerSettings(JobRegistry registry, JobInvoker invoker, CheckpointStore checkpoints, LimitStore limits,
		Duration defaultTimeout, Duration maxRunTime, int maxJobs, Clock clock) {
}
