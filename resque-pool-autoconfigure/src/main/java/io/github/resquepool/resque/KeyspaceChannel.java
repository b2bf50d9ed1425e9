package io.github.resquepool.resque;

import java.util.function.Consumer;

import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * Redis' keyspace events for lists ({@code notify-keyspace-events} with {@code E} and
 * {@code l}): every {@code RPUSH} or {@code LPUSH} onto a <code>queue:&lt;q&gt;</code>
 * key of the namespace, by anyone, announces the queue. That wakes groups whose queue
 * list is {@code *} or a glob, which no blocking waiter can follow. Whether the events
 * are on is Redis' setting: see {@link ServerInfo#keyspaceEvents()}.
 */
public final class KeyspaceChannel implements AutoCloseable {

	private final ResqueKeys keys;

	private final Subscription subscription;

	KeyspaceChannel(ResqueConnection connection, ResqueKeys keys) {
		this.keys = keys;
		this.subscription = new Subscription(connection, "keyspace events");
	}

	/**
	 * Subscribes to the list push events of every database; does nothing when subscribed.
	 * @param listener receives the queue name of each push, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener) {
		String prefix = this.keys.queue("");
		this.subscription.open(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pattern, String channel, String key) {
				if (key.startsWith(prefix)) {
					listener.accept(key.substring(prefix.length()));
				}
			}
		}, (c) -> c.psubscribe("__keyevent@*__:rpush", "__keyevent@*__:lpush"));
	}

	/**
	 * @return whether a subscription is open
	 */
	public boolean isSubscribed() {
		return this.subscription.isOpen();
	}

	@Override
	public void close() {
		this.subscription.close();
	}

}
