package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal, blocking Redis client for tests that need to talk to Redis without a Spring
 * or Resque layer in between: health checks, {@code FLUSHALL}, or writing raw bytes (for
 * example a value that is not valid UTF-8) that a higher level client would refuse. It
 * runs every command through Lettuce's {@code dispatch} on a RESP2 connection of its own,
 * and maps the reply itself.
 *
 * <p>
 * Replies are mapped to Java values as follows:
 * <ul>
 * <li>simple string ({@code +OK}) &rarr; {@link String} from {@link #command(String...)},
 * {@code byte[]} from {@link #command(byte[]...)} (Lettuce's decoder reports it as it
 * reports a bulk string);</li>
 * <li>error ({@code -ERR ...}) &rarr; thrown as {@link ErrorReplyException} (an error
 * nested in an array is returned as an {@code ErrorReplyException} element instead of
 * being thrown);</li>
 * <li>integer ({@code :1}) &rarr; {@link Long};</li>
 * <li>bulk string ({@code $3 abc}) &rarr; {@link String} (decoded as UTF-8) from
 * {@link #command(String...)}, or {@code byte[]} (unchanged) from
 * {@link #command(byte[]...)};</li>
 * <li>array ({@code *2 ...}) &rarr; {@link List} of the above;</li>
 * <li>null bulk string or null array &rarr; {@code null}.</li>
 * </ul>
 *
 * <p>
 * Instances hold one connection and are safe to share between threads (commands are
 * serialized), but are meant to be short-lived: use try-with-resources, or
 * {@link #call(String, int, String...)} for a single command. Network failures, and
 * replies that do not arrive within the timeout, surface as {@link UncheckedIOException};
 * after one, the connection is closed and further commands fail. The connection never
 * reconnects by itself.
 */
public final class RespClient implements AutoCloseable {

	/** Connect and read timeout used when none is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(RespClient.class);

	private final String host;

	private final int port;

	private final Duration timeout;

	private final StatefulRedisConnection<byte[], byte[]> connection;

	private boolean broken;

	private boolean closed;

	/**
	 * Connects to {@code host:port} with the {@linkplain #DEFAULT_TIMEOUT default
	 * timeout}.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @throws UncheckedIOException when the connection cannot be opened
	 */
	public RespClient(String host, int port) {
		this(host, port, DEFAULT_TIMEOUT);
	}

	/**
	 * Connects to {@code host:port}.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @param timeout used both as connect timeout and as timeout of every reply
	 * @throws UncheckedIOException when the connection cannot be opened
	 */
	public RespClient(String host, int port, Duration timeout) {
		this.host = Objects.requireNonNull(host, "host");
		this.port = port;
		this.timeout = Duration.ofMillis(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
		this.connection = connect(host, port, this.timeout);
		this.connection.setTimeout(this.timeout);
	}

	private static StatefulRedisConnection<byte[], byte[]> connect(String host, int port, Duration timeout) {
		RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(timeout).build();
		ConnectionFuture<StatefulRedisConnection<byte[], byte[]>> future;
		try {
			future = SharedLettuceClient.CLIENT.connectAsync(ByteArrayCodec.INSTANCE, uri);
		}
		catch (RuntimeException ex) {
			throw cannotConnect(host, port, ex);
		}
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// A connection that still comes up later must not leak.
			future.thenAccept(StatefulRedisConnection::closeAsync);
			throw cannotConnect(host, port,
					new SocketTimeoutException("connect timed out after " + timeout.toMillis() + " ms"));
		}
		catch (ExecutionException ex) {
			throw cannotConnect(host, port, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.thenAccept(StatefulRedisConnection::closeAsync);
			throw cannotConnect(host, port, ex);
		}
	}

	private static UncheckedIOException cannotConnect(String host, int port, Throwable cause) {
		Throwable root = rootCause(cause);
		return new UncheckedIOException("Cannot connect to Redis at " + host + ":" + port + ": " + root.getMessage(),
				ioException(cause));
	}

	/**
	 * Opens a connection, sends one command, closes the connection and returns the reply.
	 * @param host host name or address of the Redis server
	 * @param port its TCP port
	 * @param args the command and its arguments, for example {@code "FLUSHALL"}
	 * @return the reply, mapped as described in the {@linkplain RespClient class
	 * documentation}
	 * @throws ErrorReplyException when Redis answers with an error
	 * @throws UncheckedIOException on network failure
	 */
	public static Object call(String host, int port, String... args) {
		try (RespClient client = new RespClient(host, port)) {
			return client.command(args);
		}
	}

	/**
	 * Sends a command whose arguments are encoded as UTF-8. Bulk strings in the reply are
	 * decoded as UTF-8 (malformed bytes become U+FFFD); use {@link #command(byte[]...)}
	 * to see exact bytes.
	 * @param args the command name and its arguments; must not be empty
	 * @return the reply, mapped as described in the {@linkplain RespClient class
	 * documentation}
	 * @throws ErrorReplyException when Redis answers with an error
	 * @throws UncheckedIOException on network failure
	 */
	public Object command(String... args) {
		byte[][] raw = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			raw[i] = Objects.requireNonNull(args[i], "argument " + i).getBytes(StandardCharsets.UTF_8);
		}
		return execute(raw, true);
	}

	/**
	 * Sends a command whose arguments are sent byte for byte. Bulk strings in the reply
	 * are returned as {@code byte[]}, exactly as stored in Redis.
	 * @param args the command name and its arguments; must not be empty
	 * @return the reply, mapped as described in the {@linkplain RespClient class
	 * documentation}
	 * @throws ErrorReplyException when Redis answers with an error
	 * @throws UncheckedIOException on network failure
	 */
	public Object command(byte[]... args) {
		for (int i = 0; i < args.length; i++) {
			Objects.requireNonNull(args[i], "argument " + i);
		}
		return execute(args, false);
	}

	private synchronized Object execute(byte[][] args, boolean decodeBulk) {
		if (args.length == 0) {
			throw new IllegalArgumentException("A Redis command needs at least its name");
		}
		if (broken || closed) {
			throw new IllegalStateException("Connection to Redis at " + host + ":" + port + " is closed");
		}
		CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
		for (int i = 1; i < args.length; i++) {
			commandArgs.add(args[i]);
		}
		Object reply;
		try {
			reply = connection.sync().dispatch(new Keyword(args[0]), new ReplyOutput(decodeBulk), commandArgs);
		}
		catch (RedisCommandTimeoutException ex) {
			// The reply may still come, and would then answer the next command: the
			// connection is done.
			broken = true;
			connection.closeAsync();
			throw new UncheckedIOException(
					"Redis command " + commandName(args) + " to " + host + ":" + port + " failed: no reply within "
							+ timeout.toMillis() + " ms",
					new SocketTimeoutException("no reply within " + timeout.toMillis() + " ms"));
		}
		catch (RedisException ex) {
			broken = true;
			connection.closeAsync();
			throw new UncheckedIOException("Redis command " + commandName(args) + " to " + host + ":" + port
					+ " failed: " + rootCause(ex).getMessage(), ioException(ex));
		}
		catch (RuntimeException ex) {
			// A reply this class cannot map: the connection's state is unknown.
			broken = true;
			connection.closeAsync();
			throw ex;
		}
		if (reply instanceof ErrorReplyException error) {
			throw new ErrorReplyException(error.getMessage());
		}
		return reply;
	}

	private static String commandName(byte[][] args) {
		return new String(args[0], StandardCharsets.UTF_8);
	}

	private static Throwable rootCause(Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t) {
			t = t.getCause();
		}
		return t;
	}

	private static IOException ioException(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof IOException io) {
				return io;
			}
		}
		return new IOException(rootCause(e).getMessage(), e);
	}

	/** Closes the connection; further commands fail. Calling it again has no effect. */
	@Override
	public synchronized void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			log.debug("Closing the connection to {}:{} failed", host, port, ex);
		}
	}

	@Override
	public String toString() {
		return "RespClient[" + host + ":" + port + "]";
	}

	/**
	 * An error reply from Redis (a RESP {@code -} line), for example
	 * {@code WRONGTYPE Operation against a key holding the wrong kind of value}. The
	 * message is the reply text without the leading {@code -}.
	 */
	public static final class ErrorReplyException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		/**
		 * Creates the exception.
		 * @param message the error text sent by Redis
		 */
		public ErrorReplyException(String message) {
			super(message);
		}

	}

	// ---------------------------------------------------------------- Lettuce plumbing

	/**
	 * The command name, sent byte for byte like the arguments. Its {@code toString()}
	 * never equals a Lettuce command name: Lettuce recognises MULTI, EXEC, SELECT, AUTH
	 * and a few more by that name and then changes how their replies are decoded or
	 * replays them after a reconnect, while this class passes every command and reply
	 * through unchanged.
	 */
	private record Keyword(byte[] bytes) implements ProtocolKeyword {
		@Override
		public byte[] getBytes() {
			return bytes;
		}

		@Override
		public String name() {
			return toString();
		}

		@Override
		public String toString() {
			return "raw " + new String(bytes, StandardCharsets.UTF_8);
		}
	}

	/**
	 * Builds the Java value of one RESP2 reply from Lettuce's decoder callbacks. Lettuce
	 * calls {@link #multi(int)} when an array starts and {@link #complete(int)} after
	 * every finished element with the number of arrays still open, so a finished array
	 * shows as a drop of that number.
	 */
	private static final class ReplyOutput extends CommandOutput<byte[], byte[], Object> {

		private final boolean decodeBulk;

		private final Deque<List<Object>> open = new ArrayDeque<>();

		private boolean elementSet;

		ReplyOutput(boolean decodeBulk) {
			super(ByteArrayCodec.INSTANCE, null);
			this.decodeBulk = decodeBulk;
		}

		@Override
		public void set(ByteBuffer bytes) {
			if (bytes == null) {
				add(null);
			}
			else {
				byte[] data = copy(bytes);
				add(decodeBulk ? new String(data, StandardCharsets.UTF_8) : data);
			}
		}

		@Override
		public void setSingle(ByteBuffer bytes) {
			add((bytes != null) ? new String(copy(bytes), StandardCharsets.UTF_8) : null);
		}

		@Override
		public void set(long integer) {
			add(integer);
		}

		@Override
		public void setError(ByteBuffer error) {
			// Never handed to Lettuce as the command's error: an error nested in an array
			// is a value, and a top-level one is thrown by execute() as
			// ErrorReplyException.
			add(new ErrorReplyException((error != null) ? new String(copy(error), StandardCharsets.UTF_8) : ""));
		}

		@Override
		public void setError(String error) {
			add(new ErrorReplyException(error));
		}

		@Override
		public void multi(int count) {
			if (count < 0) {
				add(null); // null array
				return;
			}
			List<Object> items = new ArrayList<>(Math.min(count, 1024));
			add(items);
			open.push(items);
		}

		@Override
		public void complete(int depth) {
			if (depth < open.size()) {
				open.pop();
			}
			else if (!elementSet) {
				// Lettuce's decoder swallows "+QUEUED" (the reply to a command inside
				// MULTI) without
				// calling the output; it is the only simple string that does not reach
				// setSingle.
				add("QUEUED");
			}
			elementSet = false;
		}

		@Override
		public void set(double number) {
			throw new IllegalStateException("Unexpected RESP3 double reply on a RESP2 connection");
		}

		@Override
		public void set(boolean value) {
			throw new IllegalStateException("Unexpected RESP3 boolean reply on a RESP2 connection");
		}

		@Override
		public void setBigNumber(ByteBuffer bytes) {
			throw new IllegalStateException("Unexpected RESP3 big number reply on a RESP2 connection");
		}

		private void add(Object value) {
			elementSet = true;
			List<Object> parent = open.peek();
			if (parent == null) {
				output = value;
			}
			else {
				parent.add(value);
			}
		}

		private static byte[] copy(ByteBuffer bytes) {
			// Lettuce reuses the buffer for the next element.
			byte[] data = new byte[bytes.remaining()];
			bytes.get(data);
			return data;
		}

	}

}
