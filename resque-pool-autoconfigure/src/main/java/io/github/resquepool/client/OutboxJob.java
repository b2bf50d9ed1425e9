package io.github.resquepool.client;

/**
 * An enqueue as the transactional outbox stores it: rendered, so that it is pushed byte
 * for byte as {@link ResqueClient} would have pushed it at once.
 *
 * @param queue the queue
 * @param className the Resque class name, for logs of duplicates
 * @param delayed whether it goes to resque-scheduler's delayed bucket {@code bucket}
 * rather than the queue
 * @param bucket the epoch second of the delayed bucket, or 0
 * @param payload the payload text, or for a delayed job the encoded delayed item
 * @param lockName the key of a unique job's lock under the namespace, or {@code null}
 * @param lockTtlMillis the lock's time to live, in milliseconds, or 0
 */
public record OutboxJob(String queue, String className, boolean delayed, long bucket, String payload, String lockName,
		long lockTtlMillis) {

}
