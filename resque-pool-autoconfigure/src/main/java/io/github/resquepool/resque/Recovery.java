package io.github.resquepool.resque;

import java.util.List;

/**
 * What the recovery of a dead pool did.
 *
 * @param poolId the dead pool
 * @param workers how many of its workers were unregistered
 * @param jobs the jobs they were running, requeued or recorded as failures
 */
public record Recovery(String poolId, int workers, List<Job> jobs) {

	/**
	 * One job a dead worker was running.
	 *
	 * @param workerId the dead worker
	 * @param queue its queue
	 * @param className its class name, or {@code <Unknown Job>}
	 */
	public record Job(String workerId, String queue, String className) {
	}

}
