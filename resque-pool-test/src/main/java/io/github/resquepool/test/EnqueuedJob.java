package io.github.resquepool.test;

import java.time.Instant;

/**
 * One enqueue recorded by {@link RecordingResqueClient}.
 *
 * @param queue the queue
 * @param className the Resque class name, or the Rails job class of an ActiveJob enqueue
 * @param payload the payload the real client would have written (for ActiveJob, the
 * wrapper)
 * @param at when a delayed job is due, {@code null} for an immediate one
 */
public record EnqueuedJob(String queue, String className, String payload, Instant at) {

}
