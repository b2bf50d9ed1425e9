package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;

/**
 * The members of the {@code queues} set as the fetch last read them, and each dynamic
 * queue list expanded against them. The set is read with {@code SSCAN} in short steps,
 * never inside a script: with tens of thousands of queues an expansion in the fetch
 * script held Redis for 150 ms on every idle fetch. The fetch script compares the set's
 * size ({@code SCARD}, O(1)) with the size read here and asks for a new read when they
 * differ; a read also happens every {@link #MAX_AGE}, which catches a queue replaced by
 * another. After a change the set is read again once the last read is
 * {@value #COST_FACTOR} times as old as that read took, so that a set that keeps changing
 * costs Redis a bounded share of its time (a few milliseconds after a read of a few
 * queues, a second after a read of 50,000). Thread-safe.
 */
final class KnownQueues {

	/** How long a read of the set is used before it is read again whatever the size. */
	static final Duration MAX_AGE = Duration.ofSeconds(60);

	/**
	 * How many times as long as the last read of the set the next waits after a change.
	 */
	static final int COST_FACTOR = 20;

	/** The longest a fetch waits for the next read of a set it found changed. */
	private static final Duration MAX_WAIT = Duration.ofMillis(50);

	private static final int SCAN_COUNT = 1000;

	private final ResqueConnection connection;

	private final ResqueKeys keys;

	private final LongSupplier nanoTime;

	private final ConcurrentHashMap<QueueSpec, Expansion> expansions = new ConcurrentHashMap<>();

	private volatile Snapshot snapshot;

	KnownQueues(ResqueConnection connection, ResqueKeys keys, LongSupplier nanoTime) {
		this.connection = connection;
		this.keys = keys;
		this.nanoTime = nanoTime;
	}

	/**
	 * Returns a list's queues in priority order, from the last read of the set, which is
	 * read again first when it is older than {@link #MAX_AGE}, or when {@code changed}
	 * and either small (one SSCAN reads it) or {@value #COST_FACTOR} times as old as that
	 * read took.
	 * @param spec a dynamic queue list
	 * @param changed whether the fetch found the set's size changed
	 * @return the expansion
	 */
	Expansion expand(QueueSpec spec, boolean changed) {
		Snapshot current = current(changed);
		Expansion expansion = this.expansions.get(spec);
		if (expansion == null || expansion.snapshot() != current) {
			expansion = new Expansion(current, current.unreadable() ? List.of() : spec.expand(current.members()));
			this.expansions.put(spec, expansion);
		}
		return expansion;
	}

	private Snapshot current(boolean changed) {
		Snapshot current = this.snapshot;
		long now = this.nanoTime.getAsLong();
		if (current != null && !due(current, changed, now)) {
			long wait = current.readAt() + COST_FACTOR * current.took() - now;
			if (!changed || wait > MAX_WAIT.toNanos()) {
				return current;
			}
			// A small set was read moments ago: wait those few milliseconds rather than
			// leave a new queue's job to the next poll.
			LockSupport.parkNanos(wait);
		}
		synchronized (this) {
			current = this.snapshot;
			if (current == null || due(current, changed, this.nanoTime.getAsLong())) {
				current = read();
				this.snapshot = current;
			}
			return current;
		}
	}

	private static boolean due(Snapshot snapshot, boolean changed, long now) {
		long age = now - snapshot.readAt();
		// A set that one SSCAN reads whole is read again at once when it changed: its
		// read is cheap, and a copy kept would leave a new queue's job to the next poll.
		boolean small = snapshot.size() >= 0 && snapshot.size() <= SCAN_COUNT;
		return age >= MAX_AGE.toNanos() || (changed && (small || age >= COST_FACTOR * snapshot.took()));
	}

	private Snapshot read() {
		long readAt = this.nanoTime.getAsLong();
		Set<String> members = new LinkedHashSet<>();
		try {
			ScanCursor cursor = ScanCursor.INITIAL;
			ScanArgs args = ScanArgs.Builder.limit(SCAN_COUNT);
			do {
				ScanCursor from = cursor;
				ValueScanCursor<byte[]> step = this.connection.call((c) -> c.sscan(this.keys.queues(), from, args));
				step.getValues().forEach((value) -> members.add(new String(value, StandardCharsets.UTF_8)));
				cursor = step;
			}
			while (!cursor.isFinished());
		}
		catch (RedisErrors.WrongTypeException ex) {
			return new Snapshot(List.of(), -1, readAt, this.nanoTime.getAsLong() - readAt);
		}
		return new Snapshot(List.copyOf(members), members.size(), readAt, this.nanoTime.getAsLong() - readAt);
	}

	/**
	 * One read of the set.
	 *
	 * @param members its members
	 * @param size its size, {@code -1} when the key is not a set
	 * @param readAt when it was read, in {@link System#nanoTime()} terms
	 * @param took how long the read took, in nanoseconds
	 */
	record Snapshot(List<String> members, long size, long readAt, long took) {

		boolean unreadable() {
			return this.size < 0;
		}

	}

	/**
	 * A list expanded against one read of the set.
	 *
	 * @param snapshot the read
	 * @param queues the queues in priority order
	 */
	record Expansion(Snapshot snapshot, List<String> queues) {
	}

}
