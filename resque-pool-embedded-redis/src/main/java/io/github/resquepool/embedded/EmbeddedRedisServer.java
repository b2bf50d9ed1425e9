package io.github.resquepool.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis {@value #REDIS_VERSION} server running as a child process on the loopback interface,
 * for the sample application, tests and benchmarks. Not for production.
 *
 * <p>The server binary comes from the {@code org.signal:embedded-redis} jar on the classpath (only
 * its binaries are used, none of its classes). It is copied once to a cache folder, by default
 * {@code ${java.io.tmpdir}/resque-pool-redis} (override with the system property
 * {@value #CACHE_DIR_PROPERTY}), and started with persistence switched off, so all data is lost
 * when the server stops. Binaries exist for Linux (amd64, arm64, 386) and macOS (amd64, arm64);
 * elsewhere {@link #start()} throws {@link IllegalStateException} and
 * {@link #isPlatformSupported()} returns {@code false}.
 *
 * <pre>{@code
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
 *   RespClient.call(redis.host(), redis.port(), "PING"); // "PONG"
 * }
 * }</pre>
 *
 * <p>A JVM shutdown hook stops every server still running when the JVM exits normally or is
 * asked to terminate (it cannot run when the JVM is killed with {@code SIGKILL}).
 */
public final class EmbeddedRedisServer implements AutoCloseable {

  /** Version of the bundled Redis server. */
  public static final String REDIS_VERSION = "7.0.15";

  /** The address every embedded server binds to and that {@link #host()} returns. */
  public static final String HOST = "127.0.0.1";

  /** System property naming the folder the server binary is extracted to. */
  public static final String CACHE_DIR_PROPERTY = "resque-pool.embedded-redis.dir";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisServer.class);

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int OUTPUT_LINES_KEPT = 50;
  private static final int FREE_PORT_ATTEMPTS = 5;
  private static final List<String> PLATFORMS =
      List.of("linux-amd64", "linux-arm64", "linux-386", "darwin-amd64", "darwin-arm64");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();
  private static final java.util.Map<Process, Duration> HELD = new ConcurrentHashMap<>();
  private static final java.util.Optional<Path> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
      .map(Paths::get)
      .filter(Files::isExecutable)
      .findFirst();
  private static Path extractedBinary;

  private final int port;
  private final List<String> extraArgs;
  private volatile Process process;
  private OutputDrain drain;

  private EmbeddedRedisServer(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a server on a free loopback port and waits until it answers {@code PING}.
   *
   * @return the running server
   * @throws IllegalStateException when there is no binary for this platform or the server does not
   *     become ready within 10 seconds (the message then includes the server's output)
   */
  public static EmbeddedRedisServer start() {
    return start(0, List.of());
  }

  /**
   * Starts a server on the given loopback port and waits until it answers {@code PING}.
   *
   * @param port the TCP port, or {@code 0} for a free one
   * @return the running server
   * @throws IllegalStateException when there is no binary for this platform, the port is taken, or
   *     the server does not become ready within 10 seconds
   */
  public static EmbeddedRedisServer start(int port) {
    return start(port, List.of());
  }

  /**
   * Starts a server with additional command line arguments, appended after the defaults
   * ({@code --port <port> --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes
   * --daemonize no --loglevel warning}), for example {@code List.of("--maxmemory", "10mb")}.
   *
   * @param port the TCP port, or {@code 0} for a free one
   * @param extraArgs further {@code redis-server} arguments, each list element one argument
   * @return the running server
   * @throws IllegalStateException when there is no binary for this platform, the port is taken, or
   *     the server does not become ready within 10 seconds
   */
  public static EmbeddedRedisServer start(int port, List<String> extraArgs) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port " + port);
    }
    if (port != 0) {
      EmbeddedRedisServer server = new EmbeddedRedisServer(port, extraArgs);
      server.launch();
      return server;
    }
    PortInUseException lastConflict = null;
    for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
      EmbeddedRedisServer server = new EmbeddedRedisServer(freePort(), extraArgs);
      try {
        server.launch();
        return server;
      } catch (PortInUseException e) {
        lastConflict = e; // someone took the free port between our check and Redis binding it
      }
    }
    throw lastConflict;
  }

  /**
   * Tells whether a Redis binary exists for this operating system and processor architecture.
   *
   * @return {@code true} on Linux amd64/arm64/x86 and macOS amd64/arm64
   */
  public static boolean isPlatformSupported() {
    return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", "")) != null;
  }

  /**
   * Returns the loopback port this server listens on; it stays the same across {@link #restart()}.
   *
   * @return the TCP port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the only address this server listens on.
   *
   * @return {@value #HOST}
   */
  public String host() {
    return HOST;
  }

  /**
   * Returns the server's address as a Redis URL.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String url() {
    return "redis://" + HOST + ":" + port;
  }

  /**
   * Tells whether the server process is alive.
   *
   * @return {@code true} between a successful start (or restart) and {@link #stop()}
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Stops the server: asks it to terminate ({@code SIGTERM}), waits up to 5 seconds, then kills it.
   * Nothing is saved, so all data is lost. Does nothing when already stopped.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    terminate(p);
    LIVE.remove(p);
    HELD.remove(p);
    if (drain != null) {
      drain.awaitEnd(Duration.ofSeconds(1));
    }
    log.debug("Stopped embedded Redis on port {}", port);
  }

  /**
   * Stops the server if it runs, then starts it again on the same port and waits until it answers
   * {@code PING}. The new server starts empty. Meant for tests of Redis outages.
   *
   * @throws IllegalStateException when the server cannot be started again, for example because
   *     another process took the port in the meantime
   */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "EmbeddedRedisServer[" + url() + (isRunning() ? ", running" : ", stopped") + "]";
  }

  // ---------------------------------------------------------------- process handling

  private synchronized void launch() {
    Path binary = binary();
    List<String> command = new ArrayList<>();
    if (SETSID.isPresent()) {
      // Its own session: Ctrl-C in a terminal signals the JVM's process group, not Redis, so an
      // application can still drain its work against Redis before it stops the server.
      command.add(SETSID.get().toString());
    }
    command.addAll(List.of(binary.toString(),
        "--port", Integer.toString(port),
        "--bind", HOST,
        "--save", "",
        "--appendonly", "no",
        "--protected-mode", "yes",
        "--daemonize", "no",
        "--loglevel", "warning"));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(binary.getParent().toFile())
        .redirectErrorStream(true);
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run the Redis server binary " + binary + " on " + platformDescription()
          + ": " + e.getMessage(), e);
    }
    registerShutdownHook();
    LIVE.add(p);
    OutputDrain output = new OutputDrain(p.getInputStream(), port);
    output.start();
    try {
      awaitReady(p, output);
    } catch (RuntimeException e) {
      terminate(p);
      LIVE.remove(p);
      throw e;
    }
    process = p;
    drain = output;
    log.debug("Started embedded Redis {} on port {} (pid {})", REDIS_VERSION, port, p.pid());
  }

  private void awaitReady(Process p, OutputDrain output) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    Exception lastProblem = null;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        output.awaitEnd(Duration.ofSeconds(1));
        String text = output.text();
        String message = "Redis server on port " + port + " exited with code " + p.exitValue()
            + " during startup. Its output:\n" + text;
        if (text.contains("Address in use") || text.contains("Address already in use")) {
          throw new PortInUseException(message);
        }
        throw new IllegalStateException(message);
      }
      try (RespClient client = new RespClient(HOST, port, Duration.ofMillis(500))) {
        Object pong = client.command("PING");
        if ("PONG".equals(pong)) {
          long pid = serverPid(client);
          if (pid == p.pid() || pid < 0) {
            return;
          }
          throw new PortInUseException("Port " + port + " is already used by another Redis server (pid " + pid
              + "); the embedded one could not bind it.");
        }
        lastProblem = new IllegalStateException("PING answered " + pong);
      } catch (UncheckedIOException | RespClient.ErrorReplyException e) {
        lastProblem = e; // not listening yet, or still loading
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Redis to start on port " + port, e);
      }
    }
    throw new IllegalStateException("Redis server on port " + port + " did not answer PING within "
        + STARTUP_TIMEOUT.toSeconds() + " s (last problem: " + lastProblem + "). Its output:\n" + output.text());
  }

  private static long serverPid(RespClient client) {
    Object info = client.command("INFO", "server");
    if (info instanceof String text) {
      for (String line : text.split("\r?\n")) {
        if (line.startsWith("process_id:")) {
          return Long.parseLong(line.substring("process_id:".length()).trim());
        }
      }
    }
    return -1;
  }

  private static void terminate(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Redis server (pid {}) did not stop within {} s; killing it", p.pid(), STOP_TIMEOUT.toSeconds());
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void registerShutdownHook() {
    if (HOOK_REGISTERED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedRedisServer::stopAll, "embedded-redis-shutdown"));
    }
  }

  /**
   * Lets the owner of this server stop it during JVM shutdown: the shutdown hook then waits up
   * to {@code max} for the server to be stopped before it stops it itself. For an application
   * whose shutdown still needs Redis (a worker pool draining its jobs) and that stops the server
   * as its own last step.
   * @param max how long the hook waits
   * @return this server
   */
  public EmbeddedRedisServer holdOnShutdown(Duration max) {
    Process p = this.process;
    if (p != null) {
      HELD.put(p, max);
    }
    return this;
  }

  /** Shutdown hook body: works on the processes only, so it never waits for a server's lock. */
  private static void stopAll() {
    List<Process> processes = new ArrayList<>(LIVE);
    for (Process p : processes) {
      Duration hold = HELD.get(p);
      if (hold != null) {
        try {
          p.waitFor(hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      p.destroy();
    }
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  /** Returns a TCP port that was free on the loopback interface a moment ago. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free loopback port", e);
    }
  }

  // ---------------------------------------------------------------- binary extraction

  /** Maps {@code os.name}/{@code os.arch} to a binary suffix such as {@code linux-amd64}, or null. */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String osPart;
    if (os.contains("linux")) {
      osPart = "linux";
    } else if (os.contains("mac") || os.contains("darwin")) {
      osPart = "darwin";
    } else {
      return null;
    }
    String archPart = switch (arch) {
      case "amd64", "x86_64", "x64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "386";
      default -> null;
    };
    if (archPart == null) {
      return null;
    }
    String platform = osPart + "-" + archPart;
    return PLATFORMS.contains(platform) ? platform : null;
  }

  private static String platformDescription() {
    return "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch");
  }

  /** Extracts (once per JVM, reusing an earlier copy of the same size) and returns the server binary. */
  static synchronized Path binary() {
    if (extractedBinary == null || !Files.isExecutable(extractedBinary)) {
      extractedBinary = extractBinary(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }
    return extractedBinary;
  }

  /** Extracts the binary for the given platform to the cache folder and returns its path. */
  static Path extractBinary(String osName, String osArch) {
    String platform = platform(osName, osArch);
    if (platform == null) {
      throw new IllegalStateException("No embedded Redis server binary for this platform (os.name=" + osName
          + ", os.arch=" + osArch + "); binaries exist only for " + PLATFORMS + ". Run Redis some other way (Docker, or a local install).");
    }
    String name = "redis-server-" + REDIS_VERSION + "-" + platform;
    URL resource = EmbeddedRedisServer.class.getClassLoader().getResource(name);
    if (resource == null) {
      throw new IllegalStateException("The Redis server binary '" + name + "' is not on the classpath;"
          + " add org.signal:embedded-redis to the dependencies.");
    }
    IOException failure = null;
    for (Path dir : cacheDirs()) {
      try {
        return extract(resource, dir, name);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    throw new IllegalStateException("Cannot extract the Redis server binary " + name + " (tried " + cacheDirs()
        + "; set -D" + CACHE_DIR_PROPERTY + "=<folder> to choose another place): " + failure, failure);
  }

  private static List<Path> cacheDirs() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return List.of(Paths.get(configured));
    }
    Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    // The second folder helps when the shared one belongs to another user.
    return List.of(tmp.resolve("resque-pool-redis"), tmp.resolve("resque-pool-redis-" + user));
  }

  private static Path extract(URL resource, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(name);
    URLConnection connection = resource.openConnection();
    long size = connection.getContentLengthLong();
    try (InputStream in = connection.getInputStream()) {
      if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
        if (!Files.isExecutable(target)) {
          makeExecutable(target);
        }
        return target;
      }
      Path temp = Files.createTempFile(dir, name + "-", ".tmp");
      try {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        makeExecutable(temp);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      log.debug("Extracted Redis server binary to {}", target);
      return target;
    }
  }

  private static void makeExecutable(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } else if (!file.toFile().setExecutable(true, false)) {
      throw new IOException("Cannot make " + file + " executable");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Startup failed because the port is taken; {@link #start()} then retries on another port. */
  private static final class PortInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  /** Reads the server's merged stdout/stderr so the pipe never fills up, keeping the last lines. */
  private static final class OutputDrain extends Thread {
    private final InputStream stream;
    private final int port;
    private final Deque<String> lines = new ArrayDeque<>();

    OutputDrain(InputStream stream, int port) {
      super("redis-server-" + port + "-output");
      this.stream = stream;
      this.port = port;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          log.debug("redis-server:{} | {}", port, line);
          synchronized (lines) {
            if (lines.size() == OUTPUT_LINES_KEPT) {
              lines.removeFirst();
            }
            lines.addLast(line);
          }
        }
      } catch (IOException e) {
        // the process ended and its pipe was closed
      }
    }

    void awaitEnd(Duration timeout) {
      try {
        join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String text() {
      synchronized (lines) {
        return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
      }
    }
  }
}
