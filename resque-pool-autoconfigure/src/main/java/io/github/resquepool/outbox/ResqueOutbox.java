package io.github.resquepool.outbox;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.github.resquepool.client.DuplicateEnqueues;
import io.github.resquepool.client.EnqueueOutbox;
import io.github.resquepool.client.OutboxJob;
import io.github.resquepool.resque.OutboxStore;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The transactional outbox on the application's database: an enqueue inside a transaction
 * on its {@code DataSource} is a row of {@code resque_outbox}, inserted in that
 * transaction and so gone with a rollback. After the commit the transaction's rows are
 * handed, in order, to one thread, {@code resque-outbox}, which pushes them to Redis in
 * batches (one script call per batch: {@link OutboxStore#deliver}, which skips a row
 * whose marker says it was pushed before) and then deletes them. The caller never waits
 * for Redis.
 * <p>
 * A batch Redis or the database does not take is tried again, with a backoff from 100 ms
 * doubling to {@value #MAX_BACKOFF_MILLIS} ms, until it goes through. A row is claimed by
 * the outbox that wrote it for {@link #claimTimeout()}, renewed while it waits; every
 * {@code pollInterval} the thread also claims the rows whose claim ran out (their outbox
 * died or stopped), oldest first, and delivers them the same way, so that rows left by a
 * crash are delivered by any JVM of the application.
 */
public final class ResqueOutbox implements EnqueueOutbox, SmartLifecycle {

	/** The delivery thread's name. */
	public static final String THREAD_NAME = "resque-outbox";

	/** The lifecycle phase of the outbox. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/** The longest wait between two attempts of a batch. */
	static final long MAX_BACKOFF_MILLIS = 2000;

	/** The most rows pushed in one script call. */
	static final int BATCH = 100;

	/** The most rows held in memory: no poll claims more while this many wait. */
	static final int MAX_PENDING = 10_000;

	private static final Log logger = LogFactory.getLog(ResqueOutbox.class);

	private final DataSource dataSource;

	private final OutboxTable table;

	private final ResqueRedis redis;

	private final ResqueThreads threads;

	private final DuplicateEnqueues duplicates;

	private final String owner;

	private final Duration pollInterval;

	private final Duration claimTimeout;

	private final Duration markerTtl;

	private final LongSupplier clock;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition handedOff = this.lock.newCondition();

	/** Committed rows not yet taken by the thread, in commit order; guarded by lock. */
	private final List<Pending> handOffs = new ArrayList<>();

	/** The rows the thread holds, by token, in delivery order; the thread's alone. */
	private final Map<String, Pending> pending = new LinkedHashMap<>();

	private volatile int pendingSize;

	private final AtomicLong pushed = new AtomicLong();

	private volatile OutboxTable.Backlog backlog = new OutboxTable.Backlog(0, -1);

	private final AtomicLong sentBefore = new AtomicLong();

	private volatile Thread thread;

	private volatile boolean running;

	/**
	 * Creates an outbox.
	 * @param dataSource the application's database
	 * @param redis the Redis the rows go to
	 * @param threads where the delivery thread comes from
	 * @param duplicates told of each unique job not pushed for a held lock, or
	 * {@code null}
	 * @param pollInterval how often rows whose claim ran out are looked for
	 * @param claimTimeout how long a claim holds a row without being renewed
	 * @param markerTtl how long Redis keeps the marker of a row whose deletion was not
	 * seen
	 */
	public ResqueOutbox(DataSource dataSource, ResqueRedis redis, ResqueThreads threads, DuplicateEnqueues duplicates,
			Duration pollInterval, Duration claimTimeout, Duration markerTtl) {
		this(dataSource, redis, threads, duplicates, pollInterval, claimTimeout, markerTtl, System::currentTimeMillis);
	}

	ResqueOutbox(DataSource dataSource, ResqueRedis redis, ResqueThreads threads, DuplicateEnqueues duplicates,
			Duration pollInterval, Duration claimTimeout, Duration markerTtl, LongSupplier clock) {
		this.dataSource = dataSource;
		this.owner = ownerName();
		this.table = new OutboxTable(dataSource, this.owner);
		this.redis = redis;
		this.threads = threads;
		this.duplicates = duplicates;
		this.pollInterval = pollInterval;
		this.claimTimeout = claimTimeout;
		this.markerTtl = markerTtl;
		this.clock = clock;
	}

	private static String ownerName() {
		String runtime = ManagementFactory.getRuntimeMXBean().getName();
		String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		String name = runtime + ":" + random;
		return (name.length() <= 255) ? name : name.substring(name.length() - 255);
	}

	/**
	 * @return the name this outbox claims rows under ({@code <pid>@<host>:<random>})
	 */
	public String owner() {
		return this.owner;
	}

	/**
	 * @return how long a claim holds a row without being renewed
	 */
	public Duration claimTimeout() {
		return this.claimTimeout;
	}

	/**
	 * Creates the table and its index unless they exist.
	 * @param mode when to create them
	 */
	public void initializeSchema(SchemaInitialization mode) {
		if (mode == SchemaInitialization.ALWAYS || (mode == SchemaInitialization.EMBEDDED && this.table.isEmbedded())) {
			this.table.createSchema();
		}
	}

	@Override
	public boolean write(OutboxJob job) {
		if (TransactionSynchronizationManager.getResource(this.dataSource) == null) {
			// The transaction is not on this data source (another transaction manager):
			// a row written now would not share its fate.
			return false;
		}
		String token = UUID.randomUUID().toString();
		long now = this.clock.getAsLong();
		this.table.insert(token, job, now, now + this.claimTimeout.toMillis());
		Pending row = new Pending(new OutboxRow(token, job), now, false);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				handOff(row);
			}

		});
		return true;
	}

	private void handOff(Pending row) {
		this.lock.lock();
		try {
			this.handOffs.add(row);
			this.handedOff.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			if (this.running) {
				return;
			}
			this.running = true;
			Thread started = this.threads.platform(THREAD_NAME, true, this::run);
			this.thread = started;
			started.start();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		Thread stopping = this.thread;
		this.running = false;
		if (stopping == null) {
			return;
		}
		this.lock.lock();
		try {
			this.handedOff.signal();
		}
		finally {
			this.lock.unlock();
		}
		// Not interrupted: an interrupt in the middle of JDBC I/O may close the
		// database's files (H2). Every wait of the thread ends with the signal above or
		// within one command timeout.
		try {
			stopping.join(this.redis.timeout().toMillis() + 5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the web server (no more requests: its phases are
	 * {@code DEFAULT_PHASE - 1024} and {@code - 2048}) and before the pool's Redis
	 * connections close ({@code ResquePool.PHASE / 2}).
	 */
	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * @return how many rows of the table were not delivered yet, whoever holds them, as
	 * counted last (every five poll intervals)
	 */
	public long backlogRows() {
		return this.backlog.rows();
	}

	/**
	 * @return how old the oldest row not delivered yet was when the table was read last,
	 * {@link Duration#ZERO} when there was none
	 */
	public Duration oldestAge() {
		long oldest = this.backlog.oldestCreatedAt();
		return (oldest < 0) ? Duration.ZERO : Duration.ofMillis(Math.max(0, this.clock.getAsLong() - oldest));
	}

	/**
	 * @return how many rows this outbox holds and has not delivered yet (those of its
	 * thread and those handed to it)
	 */
	public int heldRows() {
		this.lock.lock();
		try {
			return this.handOffs.size() + this.pendingSize;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * @return the backlog, the age of its oldest row and the rows held, as the thread
	 * counted them last: no database call
	 */
	public OutboxView view() {
		return new OutboxView(backlogRows(), oldestAge(), heldRows());
	}

	/**
	 * @return how many rows this outbox pushed to Redis since it was made
	 */
	public long pushed() {
		return this.pushed.get();
	}

	/**
	 * @return how many rows this outbox sent again and found pushed before (their marker
	 * was there: an answer was lost, or a row was taken over after its push), and so did
	 * not push twice
	 */
	public long sentBefore() {
		return this.sentBefore.get();
	}

	private void run() {
		long backoff = 0;
		long nextPoll = 0;
		long nextCount = 0;
		boolean failing = false;
		while (this.running) {
			try {
				takeHandOffs(failing ? backoff : Math.max(0, nextPoll - this.clock.getAsLong()), failing);
				if (!this.running) {
					break;
				}
				long now = this.clock.getAsLong();
				if (now >= nextPoll && this.pending.size() < MAX_PENDING) {
					poll(now);
					nextPoll = now + this.pollInterval.toMillis();
				}
				if (now >= nextCount) {
					nextCount = now + 5 * this.pollInterval.toMillis();
					this.backlog = this.table.backlog();
				}
				if (this.pending.isEmpty()) {
					failing = false;
					continue;
				}
				deliverBatch();
				if (failing) {
					logger.info("The outbox delivers to Redis again; " + this.pending.size() + " rows wait");
				}
				failing = false;
				backoff = 0;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					break;
				}
				if (!failing) {
					logger.warn("The outbox cannot deliver (" + this.pending.size()
							+ " rows wait); it tries again until it can: " + ex, ex);
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("The outbox still cannot deliver: " + ex);
				}
				failing = true;
				backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
				renewQuietly(true);
			}
			finally {
				this.pendingSize = this.pending.size();
			}
		}
		releaseQuietly();
	}

	/**
	 * Moves the rows handed off to the thread's own list: after waiting
	 * {@code waitMillis} when backing off, else after waiting for a row at most that long
	 * when there is nothing to deliver.
	 */
	private void takeHandOffs(long waitMillis, boolean backingOff) {
		this.lock.lock();
		try {
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
			long left = deadline - System.nanoTime();
			while (this.running && left > 0 && (backingOff || (this.handOffs.isEmpty() && this.pending.isEmpty()))) {
				this.handedOff.awaitNanos(left);
				left = deadline - System.nanoTime();
			}
			for (Pending row : this.handOffs) {
				this.pending.putIfAbsent(row.row().token(), row);
			}
			this.handOffs.clear();
		}
		catch (InterruptedException ex) {
			// Nobody interrupts this thread (stop() signals): a stray interrupt only ends
			// the wait, and the loop looks at running.
		}
		finally {
			this.lock.unlock();
		}
	}

	private void poll(long now) {
		List<OutboxRow> claimed = this.table.claimExpired(now, now + this.claimTimeout.toMillis(), BATCH);
		for (OutboxRow row : claimed) {
			this.pending.putIfAbsent(row.token(), new Pending(row, now, true));
		}
		if (!claimed.isEmpty() && logger.isDebugEnabled()) {
			logger.debug("The outbox took over " + claimed.size() + " rows whose claim had run out");
		}
	}

	private void deliverBatch() {
		List<Pending> batch = new ArrayList<>(Math.min(BATCH, this.pending.size()));
		Iterator<Pending> rows = this.pending.values().iterator();
		while (rows.hasNext() && batch.size() < BATCH) {
			batch.add(rows.next());
		}
		long now = this.clock.getAsLong();
		long renewBefore = now - this.claimTimeout.toMillis() / 3;
		if (batch.stream().anyMatch((row) -> !row.confirmed() || row.claimedAt() < renewBefore)) {
			batch = held(batch, now, false);
			if (batch.isEmpty()) {
				return;
			}
		}
		List<Long> answers = this.redis.outbox()
			.deliver(batch.stream().map((row) -> row.row().delivery()).toList(), this.markerTtl);
		List<String> tokens = batch.stream().map((row) -> row.row().token()).toList();
		boolean deletedAll = this.table.delete(tokens);
		tokens.forEach(this.pending::remove);
		for (int i = 0; i < batch.size(); i++) {
			long answer = answers.get(i);
			if (answer == OutboxStore.PUSHED) {
				this.pushed.incrementAndGet();
			}
			else if (answer == OutboxStore.SENT_BEFORE) {
				this.sentBefore.incrementAndGet();
			}
			else {
				duplicate(batch.get(i).row().job());
			}
		}
		if (deletedAll) {
			try {
				this.redis.outbox().forget(tokens);
			}
			catch (RuntimeException ex) {
				// The markers expire on their own.
				logger.debug("The outbox could not delete its markers: " + ex);
			}
		}
	}

	/**
	 * Renews the claim of a batch and keeps the rows still held.
	 */
	private List<Pending> held(List<Pending> batch, long now, boolean failed) {
		List<String> tokens = batch.stream().map((row) -> row.row().token()).toList();
		List<String> held = this.table.renew(tokens, now + this.claimTimeout.toMillis(), failed);
		Map<String, Boolean> kept = new HashMap<>();
		held.forEach((token) -> kept.put(token, true));
		List<Pending> result = new ArrayList<>(held.size());
		for (Pending row : batch) {
			if (kept.containsKey(row.row().token())) {
				Pending renewed = new Pending(row.row(), now, true);
				this.pending.put(row.row().token(), renewed);
				result.add(renewed);
			}
			else {
				this.pending.remove(row.row().token());
			}
		}
		return result;
	}

	/**
	 * After a failed attempt: renews the claims of every row held, if the database
	 * answers, and counts the attempt on the batch tried.
	 */
	private void renewQuietly(boolean failed) {
		try {
			long now = this.clock.getAsLong();
			List<Pending> all = new ArrayList<>(this.pending.values());
			List<Pending> first = all.subList(0, Math.min(BATCH, all.size()));
			held(new ArrayList<>(first), now, failed);
			long renewBefore = now - this.claimTimeout.toMillis() / 3;
			List<Pending> rest = all.subList(first.size(), all.size())
				.stream()
				.filter((row) -> row.claimedAt() < renewBefore)
				.toList();
			if (!rest.isEmpty()) {
				held(rest, now, false);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("The outbox could not renew its claims: " + ex);
		}
	}

	/**
	 * On a stop: gives up the claims of the rows not delivered, so that the next poll of
	 * any outbox takes them.
	 */
	private void releaseQuietly() {
		takeHandOffs(0, false);
		if (this.pending.isEmpty()) {
			return;
		}
		try {
			this.table.release(new ArrayList<>(this.pending.keySet()));
		}
		catch (RuntimeException ex) {
			logger.debug("The outbox could not release its claims: " + ex);
		}
		this.pending.clear();
		this.pendingSize = 0;
	}

	private void duplicate(OutboxJob job) {
		if (logger.isDebugEnabled()) {
			logger.debug("Not enqueued: a job of " + job.className() + " on queue " + job.queue()
					+ " with the same key (" + job.lockName() + ") is enqueued, delayed or running");
		}
		if (this.duplicates != null) {
			this.duplicates.duplicate(job.queue(), job.className());
		}
	}

	/**
	 * A row the thread holds, with when its claim was last taken or renewed.
	 *
	 * @param row the row
	 * @param claimedAt when its claim was taken or last renewed
	 * @param confirmed whether the row was seen in the table since its commit: a row
	 * handed over by a commit is not, since a rollback to a savepoint (a nested
	 * transaction) removes the row but not the commit's hand-over
	 */
	private record Pending(OutboxRow row, long claimedAt, boolean confirmed) {

	}

}
