package io.github.resquepool.pool;

/**
 * How idle workers learn that a job was pushed by someone other than this application's
 * {@code ResqueClient} (whose enqueues always wake them at once, through a pub/sub
 * message).
 */
public enum WakeUp {

	/**
	 * Blocking waiters for static queue lists; keyspace events for {@code *} and globs
	 * when Redis publishes them; else polling.
	 */
	AUTO,

	/** Only the poll every {@code poll-interval}. */
	POLL,

	/**
	 * One {@code BLMOVE} waiter per queue of a static list, on a connection of its own,
	 * armed while the group has idle workers; groups with {@code *} or globs poll.
	 */
	BLOCKING,

	/** Redis' keyspace events for list pushes ({@code notify-keyspace-events El}). */
	KEYSPACE

}
