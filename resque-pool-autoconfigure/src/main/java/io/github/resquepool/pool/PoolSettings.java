package io.github.resquepool.pool;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resquepool.fleet.PoolInfo;

/**
 * Everything the pool needs to know to run, already validated. Built from
 * {@code resque.pool.*} by the auto-configuration, and again on every reload.
 *
 * @param groups the worker groups by name, in configuration order
 * @param paused whether the pool starts paused
 * @param startInterval the gap between two worker starts, zero to start all at once
 * @param shutdownTimeout how long a stop waits for running jobs before it cuts them off
 * @param maxWorkers the most workers all groups together may have
 * @param pollInterval how often an idle group looks for jobs that were enqueued without a
 * wake-up (by Ruby, {@code redis-cli} or another client)
 * @param heartbeatInterval how often worker heartbeats are written
 * @param pruneInterval heartbeat age after which the pruner unregisters a worker (Ruby's
 * {@code prune_interval})
 * @param recoveryTimeout time without a pool beat after which live pools recover its jobs
 * @param requeueOnRecovery whether cut-off and recovered jobs go back to the head of
 * their queue ({@code true}) or become {@code Resque::DirtyExit} failures
 * @param jobTimeout the timeout of jobs whose handler declares none, or {@code null}
 * @param restartBackoff the first wait before a crashed worker is replaced
 * @param maxRestartBackoff the longest wait before a crashed worker is replaced
 * @param virtualThreads whether workers run on virtual threads
 * @param maxStuckWorkers the most stuck threads a group may have (jobs that ignored their
 * timeout's interrupt) and still get replacements
 * @param wakeUp how idle workers learn of jobs pushed by others
 * @param configureKeyspaceEvents whether the pool may switch on Redis' list keyspace
 * events
 * @param jobLimits the limits of a job's run and of a worker's life
 */
public record PoolSettings(Map<String, GroupSettings> groups, boolean paused, Duration startInterval,
		Duration shutdownTimeout, int maxWorkers, Duration pollInterval, Duration heartbeatInterval,
		Duration pruneInterval, Duration recoveryTimeout, boolean requeueOnRecovery, Duration jobTimeout,
		Duration restartBackoff, Duration maxRestartBackoff, boolean virtualThreads, int maxStuckWorkers, WakeUp wakeUp,
		boolean configureKeyspaceEvents, JobLimits jobLimits) {

	/** Copies the group map so the settings stay immutable. */
	public PoolSettings {
		groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
		jobLimits = (jobLimits != null) ? jobLimits : JobLimits.NONE;
	}

	/**
	 * Creates settings without job limits ({@link JobLimits#NONE}).
	 * @param groups the worker groups by name, in configuration order
	 * @param paused whether the pool starts paused
	 * @param startInterval the gap between two worker starts
	 * @param shutdownTimeout how long a stop waits for running jobs
	 * @param maxWorkers the most workers all groups together may have
	 * @param pollInterval how often an idle group looks for jobs
	 * @param heartbeatInterval how often worker heartbeats are written
	 * @param pruneInterval heartbeat age after which the pruner unregisters a worker
	 * @param recoveryTimeout time without a pool beat after which live pools recover it
	 * @param requeueOnRecovery whether cut-off and recovered jobs are requeued
	 * @param jobTimeout the default job timeout, or {@code null}
	 * @param restartBackoff the first wait before a crashed worker is replaced
	 * @param maxRestartBackoff the longest wait before a crashed worker is replaced
	 * @param virtualThreads whether workers run on virtual threads
	 * @param maxStuckWorkers the most stuck threads a group may have
	 * @param wakeUp how idle workers learn of jobs pushed by others
	 * @param configureKeyspaceEvents whether the pool may switch on keyspace events
	 */
	public PoolSettings(Map<String, GroupSettings> groups, boolean paused, Duration startInterval,
			Duration shutdownTimeout, int maxWorkers, Duration pollInterval, Duration heartbeatInterval,
			Duration pruneInterval, Duration recoveryTimeout, boolean requeueOnRecovery, Duration jobTimeout,
			Duration restartBackoff, Duration maxRestartBackoff, boolean virtualThreads, int maxStuckWorkers,
			WakeUp wakeUp, boolean configureKeyspaceEvents) {
		this(groups, paused, startInterval, shutdownTimeout, maxWorkers, pollInterval, heartbeatInterval, pruneInterval,
				recoveryTimeout, requeueOnRecovery, jobTimeout, restartBackoff, maxRestartBackoff, virtualThreads,
				maxStuckWorkers, wakeUp, configureKeyspaceEvents, JobLimits.NONE);
	}

	/**
	 * @return the number of workers all groups ask for
	 */
	public int totalCount() {
		return this.groups.values().stream().mapToInt(GroupSettings::count).sum();
	}

	/**
	 * @return how often the pool beats its liveness record: a sixth of the recovery
	 * timeout, 1 to 5 s
	 */
	public Duration beatInterval() {
		return PoolInfo.beatInterval(this.recoveryTimeout);
	}

	/**
	 * @param group a group's name
	 * @param count its new count
	 * @return these settings with that group's count changed
	 */
	public PoolSettings withCount(String group, int count) {
		Map<String, GroupSettings> updated = new LinkedHashMap<>(this.groups);
		updated.computeIfPresent(group, (name, settings) -> settings.withCount(count));
		return withGroups(updated);
	}

	/**
	 * @param newGroups other groups
	 * @return these settings with those groups
	 */
	public PoolSettings withGroups(Map<String, GroupSettings> newGroups) {
		return new PoolSettings(newGroups, this.paused, this.startInterval, this.shutdownTimeout, this.maxWorkers,
				this.pollInterval, this.heartbeatInterval, this.pruneInterval, this.recoveryTimeout,
				this.requeueOnRecovery, this.jobTimeout, this.restartBackoff, this.maxRestartBackoff,
				this.virtualThreads, this.maxStuckWorkers, this.wakeUp, this.configureKeyspaceEvents, this.jobLimits);
	}

}
