package io.github.resquepool.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A minimal, blocking Redis client speaking RESP2 over a plain {@link Socket}, for tests that need
 * to talk to Redis without any client library: health checks, {@code FLUSHALL}, or writing raw
 * bytes (for example a value that is not valid UTF-8) that a higher level client would refuse.
 *
 * <p>Replies are mapped to Java values as follows:
 * <ul>
 *   <li>simple string ({@code +OK}) &rarr; {@link String};</li>
 *   <li>error ({@code -ERR ...}) &rarr; thrown as {@link ErrorReplyException} (an error nested in an
 *       array is returned as an {@code ErrorReplyException} element instead of being thrown);</li>
 *   <li>integer ({@code :1}) &rarr; {@link Long};</li>
 *   <li>bulk string ({@code $3 abc}) &rarr; {@link String} (decoded as UTF-8) from
 *       {@link #command(String...)}, or {@code byte[]} (unchanged) from {@link #command(byte[]...)};</li>
 *   <li>array ({@code *2 ...}) &rarr; {@link List} of the above;</li>
 *   <li>null bulk string or null array &rarr; {@code null}.</li>
 * </ul>
 *
 * <p>Instances hold one connection and are safe to share between threads (commands are serialized),
 * but are meant to be short-lived: use try-with-resources, or {@link #call(String, int, String...)}
 * for a single command. Network failures surface as {@link UncheckedIOException}; after one, the
 * connection is closed and further commands fail.
 */
public final class RespClient implements AutoCloseable {

  /** Connect and read timeout used when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final byte[] CRLF = {'\r', '\n'};

  private final String host;
  private final int port;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean broken;

  /**
   * Connects to {@code host:port} with the {@linkplain #DEFAULT_TIMEOUT default timeout}.
   *
   * @param host host name or address of the Redis server
   * @param port its TCP port
   * @throws UncheckedIOException when the connection cannot be opened
   */
  public RespClient(String host, int port) {
    this(host, port, DEFAULT_TIMEOUT);
  }

  /**
   * Connects to {@code host:port}.
   *
   * @param host host name or address of the Redis server
   * @param port its TCP port
   * @param timeout used both as connect timeout and as read timeout of every reply
   * @throws UncheckedIOException when the connection cannot be opened
   */
  public RespClient(String host, int port, Duration timeout) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(millis);
      s.connect(new InetSocketAddress(host, port), millis);
      this.in = new BufferedInputStream(s.getInputStream());
      this.out = new BufferedOutputStream(s.getOutputStream());
    } catch (IOException e) {
      closeQuietly(s);
      throw new UncheckedIOException("Cannot connect to Redis at " + host + ":" + port + ": " + e.getMessage(), e);
    }
    this.socket = s;
  }

  /**
   * Opens a connection, sends one command, closes the connection and returns the reply.
   *
   * @param host host name or address of the Redis server
   * @param port its TCP port
   * @param args the command and its arguments, for example {@code "FLUSHALL"}
   * @return the reply, mapped as described in the {@linkplain RespClient class documentation}
   * @throws ErrorReplyException when Redis answers with an error
   * @throws UncheckedIOException on network failure
   */
  public static Object call(String host, int port, String... args) {
    try (RespClient client = new RespClient(host, port)) {
      return client.command(args);
    }
  }

  /**
   * Sends a command whose arguments are encoded as UTF-8. Bulk strings in the reply are decoded
   * as UTF-8 (malformed bytes become U+FFFD); use {@link #command(byte[]...)} to see exact bytes.
   *
   * @param args the command name and its arguments; must not be empty
   * @return the reply, mapped as described in the {@linkplain RespClient class documentation}
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
   * Sends a command whose arguments are sent byte for byte. Bulk strings in the reply are returned
   * as {@code byte[]}, exactly as stored in Redis.
   *
   * @param args the command name and its arguments; must not be empty
   * @return the reply, mapped as described in the {@linkplain RespClient class documentation}
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
    if (broken || socket.isClosed()) {
      throw new IllegalStateException("Connection to Redis at " + host + ":" + port + " is closed");
    }
    Object reply;
    try {
      write(args);
      reply = read(decodeBulk);
    } catch (IOException e) {
      broken = true;
      closeQuietly(socket);
      throw new UncheckedIOException("Redis command " + commandName(args) + " to " + host + ":" + port
          + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      broken = true; // protocol violation: the stream position is unknown
      closeQuietly(socket);
      throw e;
    }
    if (reply instanceof ErrorReplyException error) {
      throw new ErrorReplyException(error.getMessage());
    }
    return reply;
  }

  private void write(byte[][] args) throws IOException {
    out.write('*');
    out.write(ascii(args.length));
    out.write(CRLF);
    for (byte[] arg : args) {
      out.write('$');
      out.write(ascii(arg.length));
      out.write(CRLF);
      out.write(arg);
      out.write(CRLF);
    }
    out.flush();
  }

  private Object read(boolean decodeBulk) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by Redis");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new ErrorReplyException(line);
      case ':':
        return parseLong(line);
      case '$': {
        long length = parseLong(line);
        if (length < 0) {
          return null;
        }
        if (length > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("Bulk reply too large: " + length + " bytes");
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length != length) {
          throw new EOFException("connection closed inside a bulk reply");
        }
        if (in.read() != '\r' || in.read() != '\n') {
          throw new IllegalStateException("Malformed RESP: bulk string not followed by CRLF");
        }
        return decodeBulk ? new String(data, StandardCharsets.UTF_8) : data;
      }
      case '*': {
        long count = parseLong(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
          items.add(read(decodeBulk));
        }
        return items;
      }
      default:
        throw new IllegalStateException("Unsupported RESP reply type '" + (char) type + "' (only RESP2 is supported)");
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(32);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a reply line");
      }
      if (b == '\r') {
        int next = in.read();
        if (next != '\n') {
          throw new IllegalStateException("Malformed RESP: CR not followed by LF");
        }
        return buffer.toString(StandardCharsets.UTF_8);
      }
      buffer.write(b);
    }
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Malformed RESP: expected a number but got '" + text + "'", e);
    }
  }

  private static byte[] ascii(int value) {
    return Integer.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private static String commandName(byte[][] args) {
    return new String(args[0], StandardCharsets.UTF_8);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }

  /** Closes the connection; further commands fail. Calling it again has no effect. */
  @Override
  public synchronized void close() {
    closeQuietly(socket);
  }

  @Override
  public String toString() {
    return "RespClient[" + host + ":" + port + "]";
  }

  /**
   * An error reply from Redis (a RESP {@code -} line), for example
   * {@code WRONGTYPE Operation against a key holding the wrong kind of value}. The message is the
   * reply text without the leading {@code -}.
   */
  public static final class ErrorReplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the error text sent by Redis
     */
    public ErrorReplyException(String message) {
      super(message);
    }
  }
}
