package io.github.resquepool.resque;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;

/**
 * One pub/sub subscription on a connection of its own, shared by the pool's channels
 * (wake-ups, delayed jobs, keyspace events): opened on the current Lettuce client,
 * waiting at most the command timeout, opened at most once, and closed when the command
 * connection had to be reopened (a frozen server, a failover), so that the next
 * {@link #open} subscribes where the commands now go. Lettuce subscribes again by itself
 * after an ordinary reconnect.
 */
final class Subscription implements AutoCloseable {

	private final ResqueConnection connection;

	private final String description;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	Subscription(ResqueConnection connection, String description) {
		this.connection = connection;
		this.description = description;
		connection.onReset(this::close);
	}

	/**
	 * Subscribes, unless already subscribed.
	 * @param listener receives the messages, on a Lettuce thread
	 * @param subscribe the subscribe command to send
	 */
	void open(RedisPubSubListener<String, String> listener,
			Function<RedisPubSubAsyncCommands<String, String>, RedisFuture<Void>> subscribe) {
		if (this.pubSub != null) {
			return;
		}
		StatefulRedisPubSubConnection<String, String> opened = this.connection
			.connectWith((client) -> client.connectPubSub(StringCodec.UTF8));
		opened.addListener(listener);
		try {
			subscribe.apply(opened.async()).get(this.connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			opened.closeAsync();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new ResqueRedisException("cannot subscribe to " + this.description + ": " + ex, ex);
		}
		boolean keep;
		this.lock.lock();
		try {
			keep = this.pubSub == null && !this.connection.isClosed();
			if (keep) {
				this.pubSub = opened;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (!keep) {
			opened.closeAsync();
		}
	}

	/**
	 * @return whether a subscription is open
	 */
	boolean isOpen() {
		return this.pubSub != null;
	}

	/** Closes the subscription; {@link #open} opens a new one. */
	@Override
	public void close() {
		StatefulRedisPubSubConnection<String, String> current;
		this.lock.lock();
		try {
			current = this.pubSub;
			this.pubSub = null;
		}
		finally {
			this.lock.unlock();
		}
		if (current != null) {
			current.closeAsync();
		}
	}

}
