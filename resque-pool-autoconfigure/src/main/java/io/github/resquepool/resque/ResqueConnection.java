package io.github.resquepool.resque;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.thread.ResqueThreads;

/**
 * The pool's command connection to Redis: one multiplexed Lettuce connection, shared by
 * every worker and store, with the rules that keep an unhealthy Redis from turning into
 * crashes.
 * <ul>
 * <li>Every command waits at most the command timeout and reports to
 * {@link Connectivity}.</li>
 * <li>Errors are classified once, here ({@link RedisErrors}): a refusal such as
 * {@code LOADING} or {@code OOM} is an outage to wait out, never a crash.</li>
 * <li>A connection that stops answering is closed and opened again once commands have
 * kept timing out for another command timeout, instead of waiting for TCP to give up
 * (which can take about 15 minutes). A {@code READONLY} answer (the primary was demoted
 * by a failover) reopens it at once. With Sentinel, a new connection asks the sentinels
 * for the current primary.</li>
 * <li>Connecting happens on a thread of its own; a caller waits for it at most the
 * command timeout, so no caller blocks on an unreachable Redis for longer.</li>
 * <li>The Lettuce client is looked up again for every new connection, so a connection
 * factory that was stopped and started again (a context restart) is used as it is
 * now.</li>
 * </ul>
 * Thread-safe; no lock is held across Redis I/O.
 */
public final class ResqueConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ResqueConnection.class);

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final String[] NO_KEYS = new String[0];

	private static final String CONNECT_THREAD = "resque-pool-connect";

	private final Supplier<RedisClient> clients;

	private final long timeoutMillis;

	private final Connectivity connectivity;

	private final ResqueThreads threads;

	private final ReentrantLock connectLock = new ReentrantLock();

	/** When commands started timing out without an answer in between (nanoTime), or 0. */
	private final AtomicLong stalledSince = new AtomicLong();

	private volatile StatefulRedisConnection<String, byte[]> connection;

	private volatile CompletableFuture<StatefulRedisConnection<String, byte[]>> connecting;

	/** Run after a connection that no longer served was closed. */
	private final List<Runnable> resetListeners = new CopyOnWriteArrayList<>();

	/** When the pending connect started (nanoTime). */
	private volatile long connectingSince;

	private volatile boolean closed;

	/**
	 * Creates the connection; nothing connects until the first command.
	 * @param clients supplies the Lettuce client to connect with (looked up for every new
	 * connection)
	 * @param timeout how long a command may take before it counts as failed
	 * @param connectivity where command outcomes are reported
	 */
	public ResqueConnection(Supplier<RedisClient> clients, Duration timeout, Connectivity connectivity) {
		this(clients, timeout, connectivity, ResqueThreads.standard());
	}

	/**
	 * Creates the connection; nothing connects until the first command.
	 * @param clients supplies the Lettuce client to connect with (looked up for every new
	 * connection)
	 * @param timeout how long a command may take before it counts as failed
	 * @param connectivity where command outcomes are reported
	 * @param threads makes the {@code resque-pool-connect} threads
	 */
	public ResqueConnection(Supplier<RedisClient> clients, Duration timeout, Connectivity connectivity,
			ResqueThreads threads) {
		this.clients = clients;
		this.timeoutMillis = timeout.toMillis();
		this.connectivity = connectivity;
		this.threads = threads;
		connectivity.watch(this::isConnected);
	}

	/**
	 * @return what is known about the connection, without blocking
	 */
	public Connectivity connectivity() {
		return this.connectivity;
	}

	/**
	 * @return the command timeout
	 */
	public Duration timeout() {
		return Duration.ofMillis(this.timeoutMillis);
	}

	/**
	 * @return whether the command connection is open now (not closed, not reconnecting)
	 */
	public boolean isConnected() {
		StatefulRedisConnection<String, byte[]> current = this.connection;
		return current != null && current.isOpen();
	}

	/**
	 * Runs one command and waits for its answer.
	 * @param <T> the answer's type
	 * @param command the command on Lettuce's asynchronous API
	 * @return the answer
	 * @throws ResqueRedisException when Redis is unreachable, slow, refuses the command
	 * or answers with an error
	 */
	public <T> T call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
		StatefulRedisConnection<String, byte[]> current = connection();
		return await(current, command.apply(current.async()));
	}

	/**
	 * Runs a script by its SHA-1, loading it first when Redis does not know it.
	 * @param script the script
	 * @param type the answer's type
	 * @param args its arguments
	 * @return the answer
	 */
	public Object eval(LuaScript script, ScriptOutputType type, byte[][] args) {
		try {
			return call((c) -> c.evalsha(script.sha(), type, NO_KEYS, args));
		}
		catch (RedisErrors.NoScriptException ex) {
			return call((c) -> c.eval(script.source(), type, NO_KEYS, args));
		}
	}

	/**
	 * Opens a subscription connection on the current Lettuce client. It waits at most the
	 * command timeout.
	 * @param <C> the connection type
	 * @param connect opens the connection on a client
	 * @return the connection
	 */
	public <C> C connectWith(Function<RedisClient, C> connect) {
		if (this.closed) {
			throw closedError();
		}
		CompletableFuture<C> future = CompletableFuture.supplyAsync(() -> connect.apply(this.clients.get()),
				(task) -> this.threads.platform(CONNECT_THREAD, true, task).start());
		return waitFor(future, "connect");
	}

	private <T> T await(StatefulRedisConnection<String, byte[]> current, RedisFuture<T> future) {
		try {
			T result = future.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			answered();
			return result;
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			ResqueRedisException error = new ResqueRedisException(
					"Redis did not answer within " + this.timeoutMillis + " ms; the command was sent and may have run",
					ex, true);
			this.connectivity.failed(error);
			timedOut(current);
			throw error;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(false);
			throw new ResqueRedisException("interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			RuntimeException error = RedisErrors.classify(ex.getCause());
			if (error instanceof RedisRefusedException refused) {
				this.connectivity.failed(refused);
				if (refused.needsNewConnection()) {
					reset(current, "Redis answered " + refused.code() + " (a demoted primary)");
				}
			}
			else if (error instanceof RedisCommandException || error instanceof RedisErrors.NoScriptException
					|| error instanceof RedisErrors.WrongTypeException) {
				answered();
			}
			else {
				this.connectivity.failed(error);
			}
			throw error;
		}
	}

	private void answered() {
		this.stalledSince.set(0);
		this.connectivity.succeeded();
	}

	private void timedOut(StatefulRedisConnection<String, byte[]> current) {
		long now = System.nanoTime();
		if (this.stalledSince.compareAndSet(0, now)) {
			return;
		}
		long since = this.stalledSince.get();
		if (since != 0 && now - since >= TimeUnit.MILLISECONDS.toNanos(this.timeoutMillis)) {
			this.stalledSince.set(0);
			reset(current, "no answer for more than " + 2 * this.timeoutMillis + " ms");
		}
	}

	/**
	 * Closes a connection that no longer serves, so that the next command opens a new
	 * one.
	 * @param stale the connection in use when the problem showed
	 * @param why the reason, for the log
	 */
	private void reset(StatefulRedisConnection<String, byte[]> stale, String why) {
		this.connectLock.lock();
		try {
			if (this.connection != stale) {
				return;
			}
			this.connection = null;
		}
		finally {
			this.connectLock.unlock();
		}
		logger.warn("Reopening the resque-pool Redis connection: " + why);
		stale.closeAsync();
		this.resetListeners.forEach(Runnable::run);
	}

	/**
	 * Registers a task to run when the command connection was found not to serve and was
	 * closed, so that other connections to the same server (a subscription) can be opened
	 * again too.
	 * @param listener the task, which must not block
	 */
	public void onReset(Runnable listener) {
		this.resetListeners.add(listener);
	}

	private StatefulRedisConnection<String, byte[]> connection() {
		StatefulRedisConnection<String, byte[]> current = this.connection;
		if (current != null) {
			return current;
		}
		return waitFor(startConnect(), "connect");
	}

	private CompletableFuture<StatefulRedisConnection<String, byte[]>> startConnect() {
		this.connectLock.lock();
		try {
			if (this.closed) {
				throw closedError();
			}
			// Another caller's connect may have landed since this one found no
			// connection: use it rather than open a second one.
			StatefulRedisConnection<String, byte[]> open = this.connection;
			if (open != null) {
				return CompletableFuture.completedFuture(open);
			}
			CompletableFuture<StatefulRedisConnection<String, byte[]>> pending = this.connecting;
			// A connect to a frozen server can hang in its handshake for the client's
			// whole timeout
			// (a minute by default); after two command timeouts a new attempt starts
			// beside it, which
			// asks the sentinels again, and the abandoned one is closed if it ever
			// completes.
			if (pending != null && System.nanoTime() - this.connectingSince < TimeUnit.MILLISECONDS
				.toNanos(2 * this.timeoutMillis)) {
				return pending;
			}
			CompletableFuture<StatefulRedisConnection<String, byte[]>> future = new CompletableFuture<>();
			this.connecting = future;
			this.connectingSince = System.nanoTime();
			this.threads.platform(CONNECT_THREAD, true, () -> connect(future)).start();
			return future;
		}
		finally {
			this.connectLock.unlock();
		}
	}

	private void connect(CompletableFuture<StatefulRedisConnection<String, byte[]>> future) {
		StatefulRedisConnection<String, byte[]> opened = null;
		Throwable failure = null;
		try {
			opened = this.clients.get().connect(CODEC);
		}
		catch (Throwable ex) {
			failure = ex;
		}
		StatefulRedisConnection<String, byte[]> result;
		boolean closedNow;
		this.connectLock.lock();
		try {
			boolean current = this.connecting == future;
			if (current) {
				this.connecting = null;
			}
			if (opened != null && current && !this.closed && this.connection == null) {
				this.connection = opened;
				opened = null;
			}
			result = this.connection;
			closedNow = this.closed;
		}
		finally {
			this.connectLock.unlock();
		}
		if (opened != null) {
			// Not needed (a connection is already in use) or abandoned (a newer attempt
			// replaced it, and it may lead to a server that has since been demoted).
			opened.closeAsync();
		}
		if (closedNow) {
			future.completeExceptionally(closedError());
		}
		else if (result != null) {
			// Whoever opened it, the callers of this attempt get the connection in use.
			future.complete(result);
		}
		else {
			future.completeExceptionally((failure != null) ? failure
					: new ResqueRedisException("a newer connect to Redis replaced this one", null, false));
		}
	}

	private <T> T waitFor(CompletableFuture<T> future, String what) {
		try {
			return future.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			ResqueRedisException error = new ResqueRedisException(
					"cannot " + what + " to Redis within " + this.timeoutMillis + " ms; nothing was sent", ex, false);
			this.connectivity.failed(error);
			throw error;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResqueRedisException("interrupted while connecting to Redis; nothing was sent", ex, false);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof ResqueRedisException known) {
				throw known;
			}
			ResqueRedisException error = new ResqueRedisException(
					"cannot " + what + " to Redis: " + cause.getMessage() + "; nothing was sent", cause, false);
			this.connectivity.failed(error);
			throw error;
		}
	}

	/**
	 * Closes the connection. From then on every command fails at once, without connecting
	 * again, until {@link #reopen()}: the connection factory may already be shut down,
	 * and a connect on it would never return.
	 */
	@Override
	public void close() {
		StatefulRedisConnection<String, byte[]> current;
		this.connectLock.lock();
		try {
			this.closed = true;
			current = this.connection;
			this.connection = null;
		}
		finally {
			this.connectLock.unlock();
		}
		if (current != null) {
			current.closeAsync();
		}
	}

	/**
	 * Lets the connection open again after {@link #close()}, when the context starts
	 * again.
	 */
	public void reopen() {
		this.closed = false;
	}

	/**
	 * @return whether {@link #close()} was called and {@link #reopen()} not since
	 */
	public boolean isClosed() {
		return this.closed;
	}

	private static ResqueRedisException closedError() {
		return new ResqueRedisException("the resque-pool Redis connection is closed", null, false);
	}

}
