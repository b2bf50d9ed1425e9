package io.github.resquepool.worker;

import java.time.Duration;
import java.time.Instant;

/**
 * A job a worker is running, as the pool and the endpoint see it.
 *
 * @param className the Resque class name, or {@code <Unknown Job>} for an unreadable
 * payload
 * @param queue the queue it came from
 * @param payload the payload text
 * @param statusSha identifies the job's working status in Redis
 * @param startedAt when the worker took it
 * @param timeout how long it may run, or {@code null} for no limit
 * @param sequence the order in which this JVM took its jobs
 */
public record RunningJob(String className, String queue, String payload, String statusSha, Instant startedAt,
		Duration timeout, long sequence) {

	/**
	 * @param now the current time
	 * @return how long the job has been running
	 */
	public Duration runningFor(Instant now) {
		return Duration.between(this.startedAt, now);
	}

	/**
	 * @param now the current time
	 * @return whether the job has run past its timeout
	 */
	public boolean overdue(Instant now) {
		return this.timeout != null && runningFor(now).compareTo(this.timeout) > 0;
	}

}
