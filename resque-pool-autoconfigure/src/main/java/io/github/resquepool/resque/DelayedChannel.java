package io.github.resquepool.resque;

import java.util.function.Consumer;

import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * The scheduler's wake-up channel: every {@link DelayedStore#delay} announces its bucket
 * second there, and the pool's scheduler subscribes to it on a connection of its own, so
 * that it wakes for a bucket earlier than the one it sleeps until.
 */
public final class DelayedChannel implements AutoCloseable {

	private final String channel;

	private final Subscription subscription;

	DelayedChannel(ResqueConnection connection, ResqueKeys keys) {
		this.channel = keys.key("resquepool:delayed");
		this.subscription = new Subscription(connection, this.channel);
	}

	/**
	 * Subscribes to the bucket seconds announced by delays; does nothing when already
	 * subscribed. Waits at most the command timeout.
	 * @param listener receives each bucket second as announced, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener) {
		this.subscription.open(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				listener.accept(message);
			}
		}, (c) -> c.subscribe(this.channel));
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
