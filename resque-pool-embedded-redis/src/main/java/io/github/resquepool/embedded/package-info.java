/**
 * Real Redis servers for development, tests and benchmarks of resque-pool. Not for
 * production.
 *
 * <ul>
 * <li>{@link io.github.resquepool.embedded.EmbeddedRedisServer} runs the Redis 7 binary
 * shipped in {@code org.signal:embedded-redis} as a child process on a loopback
 * port.</li>
 * <li>{@link io.github.resquepool.embedded.TestRedis} decides which server tests use: a
 * Testcontainers {@code redis:7} container when Docker answers, else the embedded server,
 * else the server named by {@code RESQUE_TEST_REDIS_URL}, else a clear failure.</li>
 * <li>{@link io.github.resquepool.embedded.RedisExtension} is the JUnit Jupiter extension
 * that flushes the shared server before each test and injects it as a parameter.</li>
 * <li>{@link io.github.resquepool.embedded.RedisConnections} opens Lettuce connections
 * (string or byte-for-byte) whose {@code sync()} commands tests use to read and write
 * Redis directly.</li>
 * <li>{@link io.github.resquepool.embedded.SentinelRedis} runs a primary, a replica and
 * Sentinels for failover tests.</li>
 * <li>{@link io.github.resquepool.embedded.ChildJvm} runs a second JVM that a test can
 * wait on, read line by line, send lines to, terminate, kill, freeze and thaw, and that
 * ends itself when its parent is gone or its lifetime is over.</li>
 * <li>{@link io.github.resquepool.embedded.Eventually} waits, boundedly, for an
 * observable condition: the one polling helper of the kit, for tests too.</li>
 * </ul>
 *
 * <p>
 * Fault injection: {@link io.github.resquepool.embedded.EmbeddedRedisServer#builder()}
 * adds persistence, replication and Sentinel mode, and a server can be killed
 * ({@code SIGKILL}), frozen ({@code SIGSTOP}), thawed, or restarted so that it answers
 * {@code LOADING} for a while. Freezing uses the {@code kill} command of a POSIX shell.
 * One shutdown hook, {@code child-process-shutdown}, stops every server and child JVM
 * still running when the JVM exits, frozen ones included, then deletes the servers'
 * temporary folders.
 * </p>
 *
 * <p>
 * Testcontainers and JUnit Jupiter are optional dependencies of this module: add them to
 * use the container or the extension.
 */
package io.github.resquepool.embedded;
