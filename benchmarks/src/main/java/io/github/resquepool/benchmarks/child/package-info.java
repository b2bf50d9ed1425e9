/**
 * The programs each child JVM of the harness runs: a pool (the bare one or the
 * application users run), Jesque, and the probes that enqueue and time pick-ups.
 */
package io.github.resquepool.benchmarks.child;
