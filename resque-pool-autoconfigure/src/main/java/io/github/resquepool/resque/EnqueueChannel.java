package io.github.resquepool.resque;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The wake-up channel: every enqueue through {@link JobStore#enqueue} announces its queue
 * there, and idle pool workers subscribe to it on a connection of their own. Lettuce
 * subscribes again by itself after a reconnect; when the command connection had to be
 * reopened (a frozen server, a failover) the subscription is closed too, and the pool's
 * next tick subscribes again.
 */
public final class EnqueueChannel implements AutoCloseable {

	private final ResqueConnection connection;

	private final ResqueKeys keys;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	EnqueueChannel(ResqueConnection connection, ResqueKeys keys) {
		this.connection = connection;
		this.keys = keys;
		// A subscription on a frozen or demoted server hears nothing: open it again with
		// the commands.
		connection.onReset(this::close);
	}

	/**
	 * Subscribes to the queue names announced by enqueues and to fleet changes; does
	 * nothing when already subscribed. Waits at most the command timeout.
	 * @param listener receives each queue name, on a Lettuce thread
	 * @param fleetChanged runs when a fleet write was announced, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener, Runnable fleetChanged) {
		if (this.pubSub != null) {
			return;
		}
		StatefulRedisPubSubConnection<String, String> opened = this.connection
			.connectWith((client) -> client.connectPubSub(StringCodec.UTF8));
		opened.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				if (channel.equals(EnqueueChannel.this.keys.fleetChannel())) {
					fleetChanged.run();
				}
				else {
					listener.accept(message);
				}
			}
		});
		try {
			opened.async()
				.subscribe(this.keys.enqueuedChannel(), this.keys.fleetChannel())
				.get(this.connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			opened.closeAsync();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new ResqueRedisException("cannot subscribe to " + this.keys.enqueuedChannel() + ": " + ex, ex);
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
