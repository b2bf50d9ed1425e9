/**
 * The benchmark harness: runs resque-pool, Jesque and Sidekiq against the same Redis in
 * child processes, measures throughput, pick-up and CPU per job, and writes
 * {@code BENCHMARKS.md} with its charts.
 */
package io.github.resquepool.benchmarks;
