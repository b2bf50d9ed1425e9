package io.github.resquepool.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fleet as Redis shows it now: every live pool with its groups, the stored overrides,
 * and the queues paused with resque-pause's keys.
 *
 * @param pools the pools that beat within {@code recovery-timeout}
 * @param overrides the stored overrides, oldest first
 * @param pausedQueues queues paused with {@code pause:queue:<q>}
 * @param allQueuesPaused whether {@code pause:all} is set
 * @param limits the fleet-wide limits in force
 */
public record FleetView(List<Pool> pools, List<FleetOverride> overrides, List<String> pausedQueues,
		boolean allQueuesPaused, List<Limit> limits) {

	/**
	 * A view without limits.
	 * @param pools the pools that beat within {@code recovery-timeout}
	 * @param overrides the stored overrides, oldest first
	 * @param pausedQueues queues paused with {@code pause:queue:<q>}
	 * @param allQueuesPaused whether {@code pause:all} is set
	 */
	public FleetView(List<Pool> pools, List<FleetOverride> overrides, List<String> pausedQueues,
			boolean allQueuesPaused) {
		this(pools, overrides, pausedQueues, allQueuesPaused, List.of());
	}

	/**
	 * One fleet-wide limit in force.
	 *
	 * @param queue the queue it limits, or {@code null} for a job class
	 * @param className the job class it limits, or {@code null} for a queue
	 * @param key the key's value for a per-key limit, else {@code null}
	 * @param concurrency how many jobs may run at once, or {@code null}
	 * @param rate how many jobs may start per window, or {@code null}
	 * @param per the rate's window, or {@code null}
	 * @param held how many slots are held now
	 * @param blocked how many jobs wait for room: held back off their queue (a class
	 * limit), or on the queue while its limit is full (a queue limit)
	 * @param source {@code configuration}, {@code override} or {@code annotation}
	 * @param holders some of the workers that hold a slot
	 * @param setBy who set an override and when (JSON), or {@code null}
	 */
	public record Limit(String queue, String className, String key, Integer concurrency, Integer rate, Duration per,
			long held, long blocked, String source, List<String> holders, String setBy) {
	}

	/**
	 * One pool.
	 *
	 * @param id its id, as registered in Redis
	 * @param host its host
	 * @param pid its process id
	 * @param startedAt when it started, in Ruby's {@code Time#to_s} form
	 * @param lastBeat its last beat
	 * @param online whether it beat recently (within three beat intervals)
	 * @param state {@code running}, {@code pausing}, {@code paused} or {@code stopping}
	 * @param groups its groups
	 * @param appliedSeq the last fleet command it applied
	 * @param jobs its running jobs that saved a checkpoint, reported progress or were
	 * cancelled, as of its last beat
	 */
	public record Pool(String id, String host, long pid, String startedAt, Instant lastBeat, boolean online,
			String state, List<Group> groups, long appliedSeq, List<PoolInfo.LongJob> jobs) {
	}

	/**
	 * One group of one pool.
	 *
	 * @param name its name
	 * @param queues its queue list
	 * @param count the desired count now in force
	 * @param live its live workers
	 * @param busy its workers running a job
	 * @param state {@code running}, {@code pausing}, {@code paused} or {@code stopping}
	 * @param overridden whether a stored fleet override covers it
	 */
	public record Group(String name, String queues, int count, int live, int busy, String state, boolean overridden) {
	}

}
