package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Opens Lettuce connections for tests that talk to Redis without a Spring or Resque layer
 * in between: use {@code sync()} of the returned connection (Lettuce's
 * {@code RedisCommands}) and close it with try-with-resources. A {@link ByteArrayCodec}
 * connection ({@link #openBytes(String, int)}) writes and reads values byte for byte, for
 * example ones that are not valid UTF-8.
 *
 * <p>
 * Connections speak RESP2, never reconnect by themselves, and fail a command whose reply
 * does not arrive within the timeout with Lettuce's {@code RedisCommandTimeoutException}.
 * A connection that cannot be opened fails with {@link RedisConnectionException}; an
 * error reply is Lettuce's {@code RedisCommandExecutionException}. All of them are
 * {@code RedisException}s.
 */
public final class RedisConnections {

	/** Connect and command timeout used when none is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private RedisConnections() {
	}

	/**
	 * Opens a connection with the {@linkplain #DEFAULT_TIMEOUT default timeout} whose
	 * keys and values are UTF-8 strings.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @return the connection, to be closed by the caller
	 * @throws RedisConnectionException when the connection cannot be opened
	 */
	public static StatefulRedisConnection<String, String> open(String host, int port) {
		return open(host, port, DEFAULT_TIMEOUT);
	}

	/**
	 * Opens a connection whose keys and values are UTF-8 strings.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @param timeout used both as connect timeout and as timeout of every command
	 * @return the connection, to be closed by the caller
	 * @throws RedisConnectionException when the connection cannot be opened
	 */
	public static StatefulRedisConnection<String, String> open(String host, int port, Duration timeout) {
		return open(StringCodec.UTF8, host, port, timeout);
	}

	/**
	 * Opens a connection with the {@linkplain #DEFAULT_TIMEOUT default timeout} whose
	 * keys and values are sent and returned byte for byte.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @return the connection, to be closed by the caller
	 * @throws RedisConnectionException when the connection cannot be opened
	 */
	public static StatefulRedisConnection<byte[], byte[]> openBytes(String host, int port) {
		return open(ByteArrayCodec.INSTANCE, host, port, DEFAULT_TIMEOUT);
	}

	/**
	 * Opens a connection, runs {@code commands} on its sync API and closes it: for the
	 * one or two commands a test sends to a server, such as
	 * {@code call(host, port, (commands) -> commands.get("key"))}.
	 * @param <T> the result type
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @param commands what to do with the connection
	 * @return what {@code commands} returns
	 * @throws io.lettuce.core.RedisException when the server cannot be reached or answers
	 * with an error
	 */
	public static <T> T call(String host, int port, Function<RedisCommands<String, String>, T> commands) {
		try (StatefulRedisConnection<String, String> connection = open(host, port)) {
			return commands.apply(connection.sync());
		}
	}

	/**
	 * Opens a connection, sends {@code PING} and closes the connection.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @return the reply, {@code "PONG"} from a server that is ready
	 * @throws io.lettuce.core.RedisException when the server cannot be reached or answers
	 * with an error
	 */
	public static String ping(String host, int port) {
		try (StatefulRedisConnection<String, String> connection = open(host, port)) {
			return connection.sync().ping();
		}
	}

	private static <K, V> StatefulRedisConnection<K, V> open(RedisCodec<K, V> codec, String host, int port,
			Duration timeout) {
		Duration bounded = Duration.ofMillis(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
		RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(bounded).build();
		ConnectionFuture<StatefulRedisConnection<K, V>> future = SharedLettuceClient.CLIENT.connectAsync(codec, uri);
		try {
			StatefulRedisConnection<K, V> connection = future.get(bounded.toMillis(), TimeUnit.MILLISECONDS);
			connection.setTimeout(bounded);
			return connection;
		}
		catch (TimeoutException ex) {
			// A connection that still comes up later must not leak.
			future.thenAccept(StatefulRedisConnection::closeAsync);
			throw cannotConnect(host, port, "connect timed out after " + bounded.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw cannotConnect(host, port, rootCause(cause).getMessage(), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.thenAccept(StatefulRedisConnection::closeAsync);
			throw cannotConnect(host, port, "interrupted", ex);
		}
	}

	private static RedisConnectionException cannotConnect(String host, int port, String reason, Throwable cause) {
		return new RedisConnectionException("Cannot connect to Redis at " + host + ":" + port + ": " + reason, cause);
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
