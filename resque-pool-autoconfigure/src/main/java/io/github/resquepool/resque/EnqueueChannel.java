package io.github.resquepool.resque;

import java.util.function.Consumer;

import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * The wake-up channel: every enqueue through {@link JobStore#enqueue} announces its queue
 * there, and fleet writes announce the fleet's new version; idle pool workers subscribe
 * to both on a connection of their own ({@link Subscription}).
 */
public final class EnqueueChannel implements AutoCloseable {

	private final ResqueKeys keys;

	private final Subscription subscription;

	EnqueueChannel(ResqueConnection connection, ResqueKeys keys) {
		this.keys = keys;
		this.subscription = new Subscription(connection, keys.enqueuedChannel());
	}

	/**
	 * Subscribes to the queue names announced by enqueues and to fleet changes; does
	 * nothing when already subscribed. Waits at most the command timeout.
	 * @param listener receives each queue name, on a Lettuce thread
	 * @param fleetChanged runs when a fleet write was announced, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener, Runnable fleetChanged) {
		String fleet = this.keys.fleetChannel();
		this.subscription.open(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				if (channel.equals(fleet)) {
					fleetChanged.run();
				}
				else {
					listener.accept(message);
				}
			}
		}, (c) -> c.subscribe(this.keys.enqueuedChannel(), fleet));
	}

	/**
	 * @return whether a subscription is open
	 */
	public boolean isSubscribed() {
		return this.subscription.isOpen();
	}

	/** Closes the subscription; {@link #subscribe} opens a new one. */
	@Override
	public void close() {
		this.subscription.close();
	}

}
