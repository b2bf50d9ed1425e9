package io.github.resquepool.resque;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;

/**
 * resque-scheduler's delayed queue, byte for byte as the Ruby gem keeps it: the sorted
 * set {@code delayed_queue_schedule} of buckets (member and score both the integer epoch
 * second), one list {@code delayed:<ts>} of encoded items per bucket, and the index
 * {@code timestamps:<item>} of the buckets holding each item. Every change is one atomic
 * script.
 */
public final class DelayedStore extends RedisStore {

	private final LuaScript delay = LuaScript.load("delay");

	private final LuaScript remove = LuaScript.load("remove_delayed");

	private final LuaScript move = LuaScript.load("move_delayed");

	private final LuaScript count = LuaScript.load("delayed_count");

	private final LuaScript page = LuaScript.load("delayed_page");

	/** The most buckets one call of the count script counts. */
	private static final int COUNT_CHUNK = 500;

	/** How many times as long as it took a count is reused. */
	private static final int COUNT_REUSE_FACTOR = 20;

	private volatile Count lastCount;

	DelayedStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * @return the sorted set of buckets
	 */
	public String scheduleKey() {
		return this.keys.key("delayed_queue_schedule");
	}

	/**
	 * @return the pub/sub channel on which {@link #delay} announces each new bucket
	 */
	public String channel() {
		return this.keys.key("resquepool:delayed");
	}

	/**
	 * Renders an item as Ruby's {@code enqueue_at_with_queue} encodes it.
	 * @param queue the queue
	 * @param className the Resque class name
	 * @param argsJson the arguments as Ruby renders them ({@link RubyJson})
	 * @return {@code {"class":..,"args":[..],"queue":..}}
	 */
	public static String item(String queue, String className, String argsJson) {
		return "{\"class\":" + RubyJson.quote(className) + ",\"args\":" + argsJson + ",\"queue\":"
				+ RubyJson.quote(queue) + "}";
	}

	/**
	 * Adds an item to a bucket as Ruby's {@code delayed_push} does, in one atomic step,
	 * and announces the bucket to the pool's schedulers.
	 * @param bucket the integer epoch second
	 * @param item the encoded item
	 * @return the bucket's length after the push
	 */
	public long delay(long bucket, String item) {
		return (Long) script(this.delay, ScriptOutputType.INTEGER, List.of(Long.toString(bucket), item));
	}

	/**
	 * Adds a unique job's item to a bucket as {@link #delay(long, String)} does, in the
	 * same atomic step as taking its lock, and only if the lock was free.
	 * @param bucket the integer epoch second
	 * @param item the encoded item
	 * @param lock the job's lock
	 * @return the bucket's length after the push, or {@code -1} when the lock is held and
	 * nothing was pushed
	 */
	public long delay(long bucket, String item, UniqueLock lock) {
		return (Long) script(this.delay, ScriptOutputType.INTEGER,
				List.of(Long.toString(bucket), item, lock.name(), lock.ttlMillis(), "delayed:" + bucket));
	}

	/**
	 * Removes every copy of an item from every bucket its {@code timestamps:} index
	 * names, as Ruby's {@code remove_delayed}.
	 * @param item the encoded item
	 * @return how many copies were removed
	 */
	public long remove(String item) {
		return (Long) script(this.remove, ScriptOutputType.INTEGER, List.of(item));
	}

	/**
	 * @return the earliest bucket, if any
	 */
	public Optional<Bucket> first() {
		List<ScoredValue<byte[]>> first = this.connection.call((c) -> c.zrangeWithScores(scheduleKey(), 0, 0));
		if (first.isEmpty()) {
			return Optional.empty();
		}
		ScoredValue<byte[]> entry = first.get(0);
		return Optional.of(new Bucket(string(entry.getValue()), entry.getScore()));
	}

	/**
	 * @return the number of buckets
	 */
	public long buckets() {
		return this.connection.call((c) -> c.zcard(scheduleKey()));
	}

	/**
	 * Counts the items of all buckets, {@value #COUNT_CHUNK} buckets per script call so
	 * that no call holds Redis for long. A count that took long is reused until it is
	 * {@value #COUNT_REUSE_FACTOR} times as old as it took (a count of 200,000 buckets, a
	 * second of Redis time, is reused for about 20 seconds), so that callers that ask
	 * periodically cost Redis a bounded share of its time.
	 * @return the number of items in all buckets
	 */
	public long items() {
		Count previous = this.lastCount;
		long now = System.nanoTime();
		if (previous != null && now - previous.at() < COUNT_REUSE_FACTOR * previous.took()) {
			return previous.items();
		}
		long total = 0;
		String after = "-inf";
		while (after != null) {
			List<Object> chunk = list(
					script(this.count, ScriptOutputType.MULTI, List.of(after, String.valueOf(COUNT_CHUNK))));
			total += (Long) chunk.get(0);
			String last = string(chunk.get(1));
			after = (last == null || last.isEmpty()) ? null : last;
		}
		this.lastCount = new Count(total, now, System.nanoTime() - now);
		return total;
	}

	private record Count(long items, long at, long took) {
	}

	/**
	 * Moves up to {@code batch} items from the head of a bucket to their queues (bad
	 * items to {@code failed}), atomically and only if nobody changed the head meanwhile;
	 * the bucket is removed once empty.
	 * @param member the bucket's member in the sorted set
	 * @param batch the most items to move
	 * @param failedAt the {@code failed_at} of the failure entries of bad items
	 * @param worker the {@code worker} of those entries
	 * @return what happened
	 */
	public BatchResult moveBatch(String member, int batch, String failedAt, String worker) {
		Set<String> wrongQueues = new HashSet<>();
		while (true) {
			BatchResult result = moveBatch(member, batch, failedAt, worker, wrongQueues);
			if (result.wrongQueue() == null) {
				return result;
			}
			wrongQueues.add(result.wrongQueue());
		}
	}

	private BatchResult moveBatch(String member, int batch, String failedAt, String worker, Set<String> wrongQueues) {
		String bucket = "delayed:" + member;
		boolean valid = DelayedItem.isBucketMember(member);
		List<String> head;
		try {
			head = stringList(this.connection.call((c) -> c.lrange(this.keys.key(bucket), 0, batch - 1)));
		}
		catch (RedisErrors.WrongTypeException ex) {
			head = List.of();
		}
		List<DelayedItem> items = new ArrayList<>(head.size());
		List<String> args = new ArrayList<>(3 + head.size() * 3);
		args.add(member);
		args.add(bucket);
		args.add(Integer.toString(head.size()));
		for (String raw : head) {
			DelayedItem item = DelayedItem.of(raw, bucket, valid, failedAt, worker);
			if (!item.isBad() && wrongQueues.contains(item.queue())) {
				item = DelayedItem.bad(raw, "the key of queue '" + item.queue() + "' is not a list", bucket,
						item.queue(), failedAt, worker);
			}
			items.add(item);
			args.add(raw);
			args.add(item.isBad() ? "" : item.queue());
			args.add(item.output());
		}
		long left = (Long) script(this.move, ScriptOutputType.INTEGER, args);
		if (left <= -3) {
			return new BatchResult(List.of(), -1, false, items.get((int) (-2 - left) - 1).queue());
		}
		if (left == -1) {
			return new BatchResult(List.of(), -1, false, null);
		}
		return new BatchResult(items, Math.max(left, 0), left == -2, null);
	}

	/**
	 * Reads a page of buckets, earliest first, each with its length and first items, in
	 * one round trip.
	 * @param start the first bucket
	 * @param count how many buckets
	 * @param itemsPerBucket how many items of each, at least one
	 * @return the buckets
	 */
	public List<BucketPage> page(long start, int count, int itemsPerBucket) {
		if (count <= 0 || start < 0) {
			return List.of();
		}
		List<Object> buckets = list(script(this.page, ScriptOutputType.MULTI, List.of(Long.toString(start),
				Long.toString(start + count - 1), Integer.toString(Math.max(1, itemsPerBucket)))));
		List<BucketPage> result = new ArrayList<>();
		for (Object bucket : buckets) {
			List<Object> fields = list(bucket);
			result.add(new BucketPage((long) Double.parseDouble(string(fields.get(0))), (Long) fields.get(1),
					stringList(fields.get(2))));
		}
		return result;
	}

	/**
	 * One bucket of a {@link #page}.
	 *
	 * @param second the epoch second it is due
	 * @param size how many items it holds
	 * @param items its first items
	 */
	public record BucketPage(long second, long size, List<String> items) {

		/**
		 * @return when it is due
		 */
		public Instant due() {
			return Instant.ofEpochSecond(this.second);
		}

	}

	/**
	 * @param second a bucket's epoch second
	 * @param item an encoded item
	 * @return whether that bucket holds the item
	 */
	public boolean holds(long second, String item) {
		try {
			return this.connection.call((c) -> c.lpos(this.keys.key("delayed:" + second), bytes(item))) != null;
		}
		catch (RedisErrors.WrongTypeException ex) {
			return false;
		}
	}

	/**
	 * A bucket of the sorted set.
	 *
	 * @param member the member as stored
	 * @param score its score, the epoch second it is due
	 */
	public record Bucket(String member, double score) {

		/**
		 * @return the epoch second the bucket is due
		 */
		public long dueSecond() {
			return (long) Math.floor(this.score);
		}

	}

	/**
	 * What one batch moved.
	 *
	 * @param items the items taken from the bucket, each moved or failed; empty when the
	 * bucket's head had changed
	 * @param left the items left in the bucket, or -1 when the head had changed and
	 * nothing moved
	 * @param notAList whether the bucket key was not a list (its member was removed)
	 * @param wrongQueue a queue whose key is not a list, when nothing moved because of it
	 */
	public record BatchResult(List<DelayedItem> items, long left, boolean notAList, String wrongQueue) {

		/**
		 * @return whether the batch must be read again
		 */
		public boolean conflicted() {
			return this.left < 0;
		}

	}

}
