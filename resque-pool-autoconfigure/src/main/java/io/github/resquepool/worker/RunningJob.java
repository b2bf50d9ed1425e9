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
 * @param registeredClass whether a handler is registered for the class name
 * @param configuredQueue whether the queue is named as such in its group's queue list
 */
public record RunningJob(String className, String queue, String payload, String statusSha, Instant startedAt,
		Duration timeout, long sequence, boolean registeredClass, boolean configuredQueue) {

	/**
	 * Creates a job whose class has no registered handler and whose queue is not named in
	 * its group's queue list.
	 * @param className the Resque class name
	 * @param queue the queue it came from
	 * @param payload the payload text
	 * @param statusSha identifies the job's working status in Redis
	 * @param startedAt when the worker took it
	 * @param timeout how long it may run, or {@code null} for no limit
	 * @param sequence the order in which this JVM took its jobs
	 */
	public RunningJob(String className, String queue, String payload, String statusSha, Instant startedAt,
			Duration timeout, long sequence) {
		this(className, queue, payload, statusSha, startedAt, timeout, sequence, false, false);
	}

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
