package io.github.resquepool.pool;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.unit.DataSize;

/**
 * Watches the heap in use right after each garbage collection (the JVM's collection
 * notifications). While it is above the pool's {@link MemoryLimit} the pool takes no new
 * job, so the grace cannot run the heap out; a collection below the limit lets it take
 * jobs again. When it stays above for the grace, the guard hands the reason to the pool,
 * once, which drains and exits.
 */
final class MemoryGuard implements NotificationListener {

	private static final Log logger = LogFactory.getLog(MemoryGuard.class);

	private static final Duration FORCED_GC_INTERVAL = Duration.ofSeconds(5);

	private final MemoryLimit limit;

	private final PoolState state;

	private final Runnable wakeAll;

	private final Consumer<Exceeded> exceeded;

	private final Set<String> heapPools;

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private volatile long lastAfterGc = -1;

	private volatile Instant aboveSince;

	private volatile boolean triggered;

	private volatile long lastForcedGc;

	/**
	 * @param limit the limit
	 * @param state the pool's state, whose intake it holds while the heap is above
	 * @param wakeAll wakes the pool's workers when the intake is released
	 * @param exceeded takes over once the heap stayed above the limit for the grace
	 */
	MemoryGuard(MemoryLimit limit, PoolState state, Runnable wakeAll, Consumer<Exceeded> exceeded) {
		this.limit = limit;
		this.state = state;
		this.wakeAll = wakeAll;
		this.exceeded = exceeded;
		this.heapPools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.map(MemoryPoolMXBean::getName)
			.collect(Collectors.toSet());
	}

	/** Listens to the JVM's collections. */
	void start() {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this, null, null);
				this.emitters.add(emitter);
			}
		}
		logger.info("Memory limit " + DataSize.ofBytes(this.limit.bytes()).toMegabytes() + "MB (" + this.limit.spelled()
				+ ") for the heap after a garbage collection, grace " + this.limit.grace().toSeconds() + " s");
	}

	/** Stops listening. */
	void stop() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this);
			}
			catch (ListenerNotFoundException ex) {
				// Already gone.
			}
		}
		this.emitters.clear();
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (this.heapPools.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		afterCollection(used);
	}

	/**
	 * Takes the heap in use after a collection.
	 * @param used the bytes in use
	 */
	void afterCollection(long used) {
		this.lastAfterGc = used;
		if (used > this.limit.bytes()) {
			if (this.aboveSince == null) {
				this.aboveSince = Instant.now();
				String reason = describe(used);
				this.state.holdIntake(reason);
				logger.warn(reason + "; taking no new job, and draining if it stays above for "
						+ this.limit.grace().toSeconds() + " s");
			}
			check();
		}
		else if (this.aboveSince != null && !this.triggered) {
			this.aboveSince = null;
			this.state.holdIntake(null);
			logger.info("The heap after a garbage collection is back below the memory limit ("
					+ DataSize.ofBytes(used).toMegabytes() + "MB); taking jobs again");
			this.wakeAll.run();
		}
	}

	/**
	 * Hands over to the pool once the heap stayed above the limit for the grace; runs on
	 * the supervisor's ticks (every 500 ms) too, since no collection may come.
	 */
	void check() {
		collectWhenFull();
		Instant since = this.aboveSince;
		if (since == null || this.triggered
				|| Duration.between(since, Instant.now()).compareTo(this.limit.grace()) < 0) {
			return;
		}
		this.triggered = true;
		long used = this.lastAfterGc;
		// Draining now: the intake stays held whatever later collections find.
		String reason = describe(used) + " for " + Duration.between(since, Instant.now()).toSeconds()
				+ " s, past resque.pool.memory-limit-grace";
		this.exceeded.accept(new Exceeded(used, this.limit, reason));
	}

	/**
	 * A collector may let the heap fill up to its top before it collects (a serial or
	 * parallel old generation), and the heap after a collection is then learnt too late:
	 * when the heap in use now is above the limit and no collection said so, one is asked
	 * for ({@code System.gc()}, at most every 5 s), so that what stays in use is known
	 * before the next job runs.
	 */
	private void collectWhenFull() {
		if (this.aboveSince != null || this.triggered) {
			return;
		}
		long now = System.nanoTime();
		if (now - this.lastForcedGc < FORCED_GC_INTERVAL.toNanos() && this.lastForcedGc != 0) {
			return;
		}
		if (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() > this.limit.bytes()) {
			this.lastForcedGc = now;
			System.gc();
		}
	}

	/**
	 * @return the heap in use after the last collection, or {@code -1} before the first
	 */
	long lastAfterGc() {
		return this.lastAfterGc;
	}

	private String describe(long used) {
		return "The heap in use after a garbage collection, " + DataSize.ofBytes(used).toMegabytes()
				+ "MB, is above resque.pool.memory-limit (" + DataSize.ofBytes(this.limit.bytes()).toMegabytes()
				+ "MB, " + this.limit.spelled() + ")";
	}

	/**
	 * The heap stayed above the limit for the grace.
	 *
	 * @param usedBytes the heap in use after the last collection
	 * @param limit the limit
	 * @param reason why the pool drains, for logs and health
	 */
	record Exceeded(long usedBytes, MemoryLimit limit, String reason) {
	}

}
