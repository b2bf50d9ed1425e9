package io.github.resquepool.resque;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * The Redis side of the transactional outbox: rows of the application's database pushed
 * onto their queues or delayed buckets, each with a marker
 * {@code resquepool:outbox:sent:<token>} set in the same atomic step, so that a row sent
 * again (its answer was lost, or its JVM died before it deleted the row) is not pushed
 * twice while the marker lives.
 */
public final class OutboxStore extends RedisStore {

	/** What {@link #deliver} answers for a row it pushed. */
	public static final long PUSHED = 1;

	/** What {@link #deliver} answers for a row whose marker was there: sent before. */
	public static final long SENT_BEFORE = 0;

	/** What {@link #deliver} answers for a unique job whose lock was held. */
	public static final long DUPLICATE = -1;

	private static final String MARKERS = "resquepool:outbox:sent:";

	private final LuaScript deliver = LuaScript.load("outbox");

	OutboxStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Pushes rows in order, each unless its marker exists, in one atomic step.
	 * @param rows the rows
	 * @param markerTtl how long a marker lives
	 * @return per row {@link #PUSHED}, {@link #SENT_BEFORE} or {@link #DUPLICATE}
	 */
	public List<Long> deliver(List<Delivery> rows, Duration markerTtl) {
		List<String> args = new ArrayList<>(1 + 7 * rows.size());
		args.add(Long.toString(Math.max(1, markerTtl.toMillis())));
		for (Delivery row : rows) {
			args.add(row.token());
			args.add(row.delayed() ? "delayed" : "queue");
			args.add(row.delayed() ? Long.toString(row.bucket()) : row.queue());
			args.add(row.payload());
			boolean locked = row.lockName() != null;
			args.add(locked ? row.lockName() : "");
			args.add(locked ? Long.toString(Math.max(1, row.lockTtlMillis())) : "");
			args.add(locked ? (row.delayed() ? "delayed:" + row.bucket() : "queued:" + row.queue()) : "");
		}
		List<Object> answers = list(script(this.deliver, ScriptOutputType.MULTI, args));
		return answers.stream().map((answer) -> (Long) answer).toList();
	}

	/**
	 * Deletes the markers of rows that are gone from the table, so that they do not hold
	 * memory until they expire.
	 * @param tokens the rows' tokens
	 */
	public void forget(List<String> tokens) {
		if (tokens.isEmpty()) {
			return;
		}
		String[] names = tokens.stream().map((token) -> this.keys.key(MARKERS + token)).toArray(String[]::new);
		this.connection.call((c) -> c.unlink(names));
	}

	/**
	 * @param token a row's token
	 * @return whether the row's marker exists
	 */
	public boolean sent(String token) {
		return Long.valueOf(1).equals(this.connection.call((c) -> c.exists(this.keys.key(MARKERS + token))));
	}

	/**
	 * One row to deliver.
	 *
	 * @param token the row's marker token, unique among all rows ever written
	 * @param delayed whether it goes to a delayed bucket, not a queue
	 * @param queue the queue
	 * @param bucket the delayed bucket (epoch second), for a delayed row
	 * @param payload the payload text, or the delayed item
	 * @param lockName the key of a unique job's lock under the namespace
	 * ({@link UniqueLock#name()}), or {@code null}
	 * @param lockTtlMillis the lock's time to live in milliseconds
	 */
	public record Delivery(String token, boolean delayed, String queue, long bucket, String payload, String lockName,
			long lockTtlMillis) {

	}

}
