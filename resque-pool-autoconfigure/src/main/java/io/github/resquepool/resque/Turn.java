package io.github.resquepool.resque;

/**
 * One worker's request in a batched turn: record the outcome of its last job, and take
 * the next job if asked.
 *
 * @param workerId the worker id
 * @param outcome the last job's outcome, or {@code null}
 * @param fetch whether to take a job
 */
public record Turn(String workerId, Outcome outcome, boolean fetch) {
}
