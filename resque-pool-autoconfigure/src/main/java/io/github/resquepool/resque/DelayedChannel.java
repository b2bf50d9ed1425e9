package io.github.resquepool.resque;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The scheduler's wake-up channel: every {@link DelayedStore#delay} announces its bucket
 * second there, and the pool's scheduler subscribes to it on a connection of their own,
 * so that it wakes for a bucket earlier than the one it sleeps until. Lettuce subscribes
 * again by itself after a reconnect.
 */
public final class DelayedChannel implements AutoCloseable {

	private final ResqueConnection connection;

	private final ResqueKeys keys;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	DelayedChannel(ResqueConnection connection, ResqueKeys keys) {
		this.connection = connection;
		this.keys = keys;
	}

	/**
	 * Subscribes to the bucket seconds announced by delays; does nothing when already
	 * subscribed. Waits at most the command timeout.
	 * @param listener receives each bucket second as announced, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener) {
		if (this.pubSub != null) {
			return;
		}
		StatefulRedisPubSubConnection<String, String> opened = this.connection
			.connectWith((client) -> client.connectPubSub(StringCodec.UTF8));
		opened.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				listener.accept(message);
			}
		});
		try {
			opened.async()
				.subscribe(this.keys.key("resquepool:delayed"))
				.get(this.connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			opened.closeAsync();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new ResqueRedisException("cannot subscribe to " + this.keys.key("resquepool:delayed") + ": " + ex,
					ex);
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
	public boolean isSubscribed() {
		return this.pubSub != null;
	}

	/** Closes the subscription; {@link #subscribe} opens a new one. */
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
