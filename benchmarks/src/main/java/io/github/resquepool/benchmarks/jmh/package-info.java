/**
 * JMH micro-benchmarks: payload encoding and the Redis round trips the job path makes.
 */
package io.github.resquepool.benchmarks.jmh;
