package io.github.resquepool.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import io.github.resquepool.pool.PoolIdentity;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.DelayedItem;
import io.github.resquepool.resque.DelayedStore;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.ResqueRedisException;
import io.github.resquepool.thread.ResqueThreads;

/**
 * The pool's resque-scheduler: while it holds resque-scheduler's master lock (so that
 * exactly one scheduler acts, Java or Ruby), it moves due delayed items to their queues
 * within a second of their bucket and fires recurring schedules. One thread sleeps until
 * the earliest of the next due bucket, the next firing and the next lock check
 * ({@code poll-interval}, which also reads the earliest bucket again for items a Ruby
 * process added); a delay from this pool's client wakes it at once. Idle, it costs one or
 * two commands per poll interval. Graceful stop releases the lock; a scheduler that dies
 * holds it until its TTL runs out, then another takes over.
 */
public final class ResqueScheduler implements SmartLifecycle {

	/**
	 * How often the loop reads the delayed queue's size and the lock's holder for
	 * {@link #view()}.
	 */
	public static final Duration VIEW_INTERVAL = Duration.ofSeconds(10);

	/** Starts after the pool and stops before it. */
	public static final int PHASE = ResquePool.PHASE + 1;

	private static final Log logger = LogFactory.getLog(ResqueScheduler.class);

	private final ResqueRedis redis;

	private final SchedulerSettings settings;

	private final List<SchedulerListener> listeners;

	private final Clock clock;

	private final MasterLock lock;

	private final DelayedMover mover;

	private final RecurringSchedules recurring;

	private final ResqueThreads threads;

	private final ReentrantLock sleep = new ReentrantLock();

	private final Condition wake = this.sleep.newCondition();

	private volatile long wakeAtMillis;

	private final AtomicLong announcedMillis = new AtomicLong(Long.MAX_VALUE);

	private volatile boolean running;

	private volatile Thread thread;

	private volatile Instant nextDue;

	private long lastLockCheck;

	private long lastView;

	private volatile SchedulerView view;

	/**
	 * Creates a scheduler.
	 * @param redis the gateway
	 * @param settings the settings
	 * @param recurring the recurring schedules, or {@code null} for none
	 * @param listeners hear what it does
	 * @param clock the clock that tells what is due
	 */
	public ResqueScheduler(ResqueRedis redis, SchedulerSettings settings, RecurringSchedules recurring,
			List<SchedulerListener> listeners, Clock clock) {
		this(redis, settings, recurring, listeners, clock, ResqueThreads.standard());
	}

	/**
	 * Creates a scheduler.
	 * @param redis the gateway
	 * @param settings the settings
	 * @param recurring the recurring schedules, or {@code null} for none
	 * @param listeners hear what it does
	 * @param clock the clock that tells what is due
	 * @param threads makes its {@code resque-scheduler} thread
	 */
	public ResqueScheduler(ResqueRedis redis, SchedulerSettings settings, RecurringSchedules recurring,
			List<SchedulerListener> listeners, Clock clock, ResqueThreads threads) {
		this.redis = redis;
		this.threads = threads;
		this.settings = settings;
		this.listeners = List.copyOf(listeners);
		this.clock = clock;
		String host = (settings.hostname() != null && !settings.hostname().isBlank()) ? settings.hostname()
				: PoolIdentity.systemHostname();
		this.lock = new MasterLock(redis.masterLock(), settings, host);
		SchedulerListener all = new Fanout(this.listeners);
		this.mover = new DelayedMover(redis.delayed(), settings.batchSize(), this.lock.value(), all);
		this.recurring = (recurring != null) ? recurring : RecurringSchedules.none();
		this.recurring.attach(redis, this.lock, all, clock);
		this.view = new SchedulerView(false, this.lock.value(), null, -1, null, null);
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		Thread started = this.threads.platform("resque-scheduler", true, this::run);
		this.thread = started;
		started.start();
		logger.info("Starting resque-scheduler peer " + this.lock.value() + " (lock "
				+ redis.keys().key(this.lock.key()) + ", TTL " + this.settings.lockTimeout().toSeconds() + " s)");
	}

	@Override
	public void stop() {
		Thread current = this.thread;
		if (!this.running || current == null) {
			return;
		}
		this.running = false;
		signal();
		try {
			current.join(this.redis.timeout().toMillis() * 2 + 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.redis.delayedChannel().close();
		try {
			boolean held = this.lock.held();
			this.lock.release();
			if (held) {
				fire((l) -> l.lockChanged(false));
				logger.info("resque-scheduler peer " + this.lock.value() + " released the master lock");
			}
		}
		catch (ResqueRedisException ex) {
			logger.warn("Could not release the resque-scheduler master lock; it expires within "
					+ this.settings.lockTimeout().toSeconds() + " s: " + ex.getMessage());
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * @return whether this scheduler held the master lock at its last check
	 */
	public boolean isMaster() {
		return this.lock.held();
	}

	/**
	 * @return this scheduler's lock value, {@code <host>:<pid>}
	 */
	public String lockValue() {
		return this.lock.value();
	}

	/**
	 * @return the recurring schedules
	 */
	public RecurringSchedules schedules() {
		return this.recurring;
	}

	/**
	 * Reads the scheduler's state from Redis.
	 * @return the state
	 */
	public SchedulerStatus status() {
		DelayedStore delayed = this.redis.delayed();
		Optional<DelayedStore.Bucket> first = delayed.first();
		return new SchedulerStatus(this.lock.held(), this.lock.value(), this.lock.holder(), delayed.buckets(),
				delayed.items(), first.map((b) -> Instant.ofEpochSecond(b.dueSecond())).orElse(null),
				this.recurring.names());
	}

	/**
	 * @return when the earliest delayed bucket was due or is due, as last seen; null if
	 * none
	 */
	public Instant nextDue() {
		return this.nextDue;
	}

	/**
	 * Returns what the scheduler's loop last saw, without a Redis call.
	 * @return the view
	 */
	public SchedulerView view() {
		SchedulerView seen = this.view;
		boolean master = this.lock.held();
		Instant next = master ? this.nextDue : seen.nextDue();
		return new SchedulerView(master, seen.lockValue(), master ? this.lock.value() : seen.holder(),
				seen.delayedItems(), next, seen.checkedAt());
	}

	private void refreshView(long now, boolean force) {
		if (!force && this.lastView != 0 && now - this.lastView < VIEW_INTERVAL.toMillis()) {
			return;
		}
		this.lastView = now;
		try {
			DelayedStore delayed = this.redis.delayed();
			boolean master = this.lock.held();
			String holder = master ? this.lock.value() : this.lock.holder();
			long items = delayed.items();
			Instant next = delayed.first().map((b) -> Instant.ofEpochSecond(b.dueSecond())).orElse(null);
			this.view = new SchedulerView(master, this.lock.value(), holder, items, next, Instant.ofEpochMilli(now));
		}
		catch (ResqueRedisException ex) {
			logger.debug("Could not read the delayed queue for the scheduler's view: " + ex.getMessage());
		}
	}

	private void run() {
		while (this.running) {
			this.announcedMillis.set(Long.MAX_VALUE);
			long now = this.clock.millis();
			long wakeAt = now + this.settings.pollInterval().toMillis();
			try {
				subscribe();
				if (now - this.lastLockCheck >= this.settings.pollInterval().toMillis() || this.lastLockCheck == 0) {
					refreshView(now, checkLock(now));
				}
				wakeAt = Math.min(wakeAt, this.lastLockCheck + this.settings.pollInterval().toMillis());
				if (this.lock.held()) {
					wakeAt = Math.min(wakeAt, pass());
				}
			}
			catch (ResqueRedisException ex) {
				if (this.lock.lost()) {
					fire((l) -> l.lockChanged(false));
				}
				logger.debug("resque-scheduler pass failed; retrying in " + this.settings.pollInterval().toMillis()
						+ " ms: " + ex.getMessage());
			}
			catch (RuntimeException ex) {
				logger.error(
						"resque-scheduler pass failed; retrying in " + this.settings.pollInterval().toMillis() + " ms",
						ex);
			}
			sleepUntil(wakeAt);
		}
	}

	/**
	 * Takes or renews the lock; returns whether it changed hands to or from this
	 * scheduler.
	 */
	private boolean checkLock(long now) {
		this.lastLockCheck = now;
		if (this.lock.check()) {
			boolean held = this.lock.held();
			logger.info("resque-scheduler peer " + this.lock.value()
					+ (held ? " is now the master" : " lost the master lock"));
			fire((l) -> l.lockChanged(held));
			this.recurring.masterChanged(held);
			return true;
		}
		return false;
	}

	/** One pass as master; returns when to wake next. */
	private long pass() {
		long nowSecond = Math.floorDiv(this.clock.millis(), 1000L);
		Optional<DelayedStore.Bucket> next = this.mover.moveDue(nowSecond, this::stillMaster);
		this.nextDue = next.map((b) -> Instant.ofEpochSecond(b.dueSecond())).orElse(null);
		long wakeAt = Long.MAX_VALUE;
		if (next.isPresent()) {
			wakeAt = Math.max(this.clock.millis() + 1, Math.min(Long.MAX_VALUE / 2, next.get().dueSecond() * 1000));
		}
		return Math.min(wakeAt, this.recurring.fireDue(this.clock.millis()));
	}

	/**
	 * Renews the lock when a long pass has outlived a poll interval; false once it is
	 * lost.
	 */
	private boolean stillMaster() {
		long now = this.clock.millis();
		if (now - this.lastLockCheck >= this.settings.pollInterval().toMillis()) {
			checkLock(now);
		}
		return this.running && this.lock.held();
	}

	private void subscribe() {
		if (!this.redis.delayedChannel().isSubscribed()) {
			this.redis.delayedChannel().subscribe(this::announced);
		}
	}

	private void announced(String bucket) {
		try {
			long due = Long.parseLong(bucket) * 1000;
			this.announcedMillis.accumulateAndGet(due, Math::min);
			if (due < this.wakeAtMillis) {
				signal();
			}
		}
		catch (NumberFormatException ex) {
			// not ours
		}
	}

	private void signal() {
		this.sleep.lock();
		try {
			this.wake.signalAll();
		}
		finally {
			this.sleep.unlock();
		}
	}

	private void sleepUntil(long wakeAt) {
		this.sleep.lock();
		try {
			this.wakeAtMillis = wakeAt;
			while (this.running && this.wakeAtMillis != 0) {
				long left = Math.min(this.wakeAtMillis, this.announcedMillis.get()) - this.clock.millis();
				if (left <= 0) {
					break;
				}
				this.wake.await(left, TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
		finally {
			this.sleep.unlock();
		}
	}

	private void fire(Consumer<SchedulerListener> event) {
		for (SchedulerListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("A scheduler listener failed", ex);
			}
		}
	}

	/** Forwards every event to several listeners, guarding each. */
	private record Fanout(List<SchedulerListener> listeners) implements SchedulerListener {

		@Override
		public void delayedMoved(int count) {
			this.listeners.forEach((l) -> guarded(() -> l.delayedMoved(count)));
		}

		@Override
		public void delayedFailed(DelayedItem item) {
			this.listeners.forEach((l) -> guarded(() -> l.delayedFailed(item)));
		}

		@Override
		public void scheduleFired(String name) {
			this.listeners.forEach((l) -> guarded(() -> l.scheduleFired(name)));
		}

		private static void guarded(Runnable call) {
			try {
				call.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A scheduler listener failed", ex);
			}
		}

	}

}
