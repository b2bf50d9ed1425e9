package io.github.resquepool.resque;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Redis' keyspace events for lists ({@code notify-keyspace-events} with {@code E} and
 * {@code l}): every {@code RPUSH} or {@code LPUSH} onto a {@code queue:
 *
<q>} key of the namespace, by anyone, announces the queue. That wakes groups whose queue
 * list is {@code *} or a glob, which no blocking waiter can follow. Whether the events
 * are on is Redis' setting: see {@link ServerInfo#keyspaceEvents()}.
 */
public final class KeyspaceChannel implements AutoCloseable {

	private final ResqueConnection connection;

	private final ResqueKeys keys;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	KeyspaceChannel(ResqueConnection connection, ResqueKeys keys) {
		this.connection = connection;
		this.keys = keys;
		connection.onReset(this::close);
	}

	/**
	 * Subscribes to the list push events of every database; does nothing when subscribed.
	 * @param listener receives the queue name of each push, on a Lettuce thread
	 */
	public void subscribe(Consumer<String> listener) {
		if (this.pubSub != null) {
			return;
		}
		String prefix = this.keys.queue("");
		StatefulRedisPubSubConnection<String, String> opened = this.connection
			.connectWith((client) -> client.connectPubSub(StringCodec.UTF8));
		opened.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pattern, String channel, String key) {
				if (key.startsWith(prefix)) {
					listener.accept(key.substring(prefix.length()));
				}
			}
		});
		try {
			opened.async()
				.psubscribe("__keyevent@*__:rpush", "__keyevent@*__:lpush")
				.get(this.connection.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			opened.closeAsync();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new ResqueRedisException("cannot subscribe to keyspace events: " + ex, ex);
		}
		this.pubSub = opened;
	}

	/**
	 * @return whether a subscription is open
	 */
	public boolean isSubscribed() {
		return this.pubSub != null;
	}

	@Override
	public void close() {
		StatefulRedisPubSubConnection<String, String> current = this.pubSub;
		this.pubSub = null;
		if (current != null) {
			current.closeAsync();
		}
	}

}
