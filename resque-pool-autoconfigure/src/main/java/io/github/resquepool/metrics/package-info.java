/**
 * Micrometer meters of the Resque worker pool, all named under {@code resque.}: finished
 * jobs and their durations, queue sizes and latencies, workers by state, worker restarts,
 * and an {@code Observation} around each job for tracing.
 */
package io.github.resquepool.metrics;
