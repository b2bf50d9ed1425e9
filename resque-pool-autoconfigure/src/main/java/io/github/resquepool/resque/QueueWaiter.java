package io.github.resquepool.resque;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Waits until a queue has a job, on a connection of its own:
 * {@code BLMOVE queue:q queue:q RIGHT
 * RIGHT} blocks until the list has an element, then moves its tail element onto its tail
 * again, an atomic no-op, and returns. So a job pushed by anyone (Ruby, Rails,
 * {@code redis-cli}) is noticed at once, without polling. Not thread-safe: one thread
 * waits on it.
 */
public final class QueueWaiter implements AutoCloseable {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private final ResqueConnection connection;

	private final String key;

	private volatile StatefulRedisConnection<String, byte[]> blocking;

	private volatile boolean closed;

	QueueWaiter(ResqueConnection connection, ResqueKeys keys, String queue) {
		this.connection = connection;
		this.key = keys.queue(queue);
	}

	/**
	 * Blocks until the queue has a job or the wait is over.
	 * @param wait how long to block at most (whole seconds, at least one)
	 * @return whether the queue had a job
	 * @throws ResqueRedisException when Redis cannot be reached; the caller waits and
	 * tries again
	 */
	public boolean await(Duration wait) {
		StatefulRedisConnection<String, byte[]> current = this.blocking;
		if (current == null || !current.isOpen()) {
			if (current != null) {
				current.closeAsync();
			}
			current = this.connection.connectWith((client) -> client.connect(CODEC));
			if (this.closed) {
				current.closeAsync();
				return false;
			}
			this.blocking = current;
		}
		long seconds = Math.max(1, wait.toSeconds());
		try {
			byte[] moved = current.async()
				.blmove(this.key, this.key, LMoveArgs.Builder.rightRight(), seconds)
				.get(seconds * 1000 + this.connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
			return moved != null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			// Another type at the key, a dropped connection, a refusal: a new connection
			// next time.
			this.blocking = null;
			current.closeAsync();
			throw new ResqueRedisException("waiting on " + this.key + " failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		StatefulRedisConnection<String, byte[]> current = this.blocking;
		this.blocking = null;
		if (current != null) {
			current.closeAsync();
		}
	}

}
