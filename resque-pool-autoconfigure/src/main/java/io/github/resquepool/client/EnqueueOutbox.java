package io.github.resquepool.client;

/**
 * Where {@link ResqueClient} writes an enqueue made inside a Spring-managed transaction
 * when the transactional outbox is on: a row in the application's database, written in
 * that transaction and delivered to Redis after its commit.
 * {@code io.github.resquepool.outbox.ResqueOutbox} is the implementation on JDBC.
 */
@FunctionalInterface
public interface EnqueueOutbox {

	/**
	 * Writes a job in the current transaction, if the outbox can join it (its
	 * {@code DataSource} takes part in the transaction).
	 * @param job the job as it is to be pushed
	 * @return whether it was written; when not, the client defers the enqueue to the
	 * commit as it does without an outbox
	 */
	boolean write(OutboxJob job);

}
