package io.github.resquepool.embedded;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * The Lettuce client and resources shared by every connection {@link RedisConnections}
 * opens: a few daemon threads, created on first use and kept for the life of the JVM.
 */
final class SharedLettuceClient {

	/**
	 * Upper bound of Lettuce's own connect timeout; each client waits for its own,
	 * shorter, timeout.
	 */
	private static final Duration SOCKET_CONNECT_TIMEOUT = Duration.ofSeconds(60);

	private static final ClientResources RESOURCES = DefaultClientResources.builder()
		.ioThreadPoolSize(2)
		.computationThreadPoolSize(1)
		.build();

	static final RedisClient CLIENT = createClient();

	private SharedLettuceClient() {
	}

	private static RedisClient createClient() {
		RedisClient client = RedisClient.create(RESOURCES);
		client.setOptions(ClientOptions.builder()
			.protocolVersion(ProtocolVersion.RESP2)
			.autoReconnect(false)
			.pingBeforeActivateConnection(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.maintNotificationsConfig(MaintNotificationsConfig.disabled())
			.timeoutOptions(TimeoutOptions.enabled())
			.socketOptions(SocketOptions.builder().connectTimeout(SOCKET_CONNECT_TIMEOUT).tcpNoDelay(true).build())
			.build());
		return client;
	}

}
