package io.github.resquepool.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.FailureStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;

/**
 * Resque's failed jobs, with the operations of {@code Resque::Failure::Redis} and
 * resque-web to the same effect: retry (the entry stays, marked {@code retried_at}, and a
 * new {@code {"class","args"}} payload goes to the end of its queue), remove (LSET
 * {@code ""} then LREM), clear. Entries are addressed by index, as in Ruby, so a
 * concurrent remove shifts them.
 */
public class ResqueFailures {

	private final ResqueRedis redis;

	/**
	 * Creates the accessor.
	 * @param redis the gateway
	 */
	public ResqueFailures(ResqueRedis redis) {
		this.redis = redis;
	}

	/**
	 * @return the number of failure entries ({@code Resque.info[:failed]})
	 */
	public long count() {
		return this.redis.failures().count();
	}

	/**
	 * Reads entries, oldest first. Entries that are not JSON come back with
	 * {@code exception} {@code null} and the raw text as payload.
	 * @param start the first index
	 * @param count how many
	 * @return the entries
	 */
	public List<FailureRecord> list(long start, int count) {
		List<FailureRecord> result = new ArrayList<>();
		for (String raw : this.redis.failures().range(start, start + count - 1)) {
			result
				.add(FailureRecord.parse(raw).orElse(new FailureRecord(null, raw, null, null, null, null, null, null)));
		}
		return result;
	}

	/**
	 * Reads one entry.
	 * @param index its index
	 * @return the entry
	 * @throws IllegalArgumentException when there is no readable entry at that index
	 */
	public FailureRecord get(long index) {
		List<String> raw = this.redis.failures().range(index, index);
		if (raw.isEmpty()) {
			throw new IllegalArgumentException("no failure entry at index " + index);
		}
		return FailureRecord.parse(raw.get(0))
			.orElseThrow(() -> new IllegalArgumentException("the failure entry at index " + index + " is not JSON"));
	}

	/**
	 * Retries an entry as {@code Resque::Failure.requeue(index)} does: marks it
	 * {@code retried_at} (Resque 3 format) and enqueues its class and arguments, nothing
	 * else of the payload, to its queue. The mark and the push are one atomic step, taken
	 * only while the entry at that index is still, byte for byte, the one read.
	 * @param index the entry's index
	 * @throws IllegalArgumentException when the entry has no queue or no readable
	 * payload, or is not valid UTF-8 (a retry would store a changed copy of it)
	 * @throws IllegalStateException when the entry at that index changed meanwhile
	 */
	public void retry(long index) {
		if (!retryIfSame(index, read(index))) {
			throw changed(index);
		}
	}

	/**
	 * Retries an entry as {@link #retry} does, only while the entry at its index is
	 * still, byte for byte, the one read: for a caller that showed an entry and acts on
	 * what it showed, such as the dashboard.
	 * @param index the entry's index when it was read
	 * @param read the entry's bytes as read ({@link FailureStore#entries})
	 * @return whether it was retried (false when the entry at that index changed)
	 * @throws IllegalArgumentException when the entry has no queue or no readable
	 * payload, or is not valid UTF-8 (a retry would store a changed copy of it)
	 */
	public boolean retryIfSame(long index, byte[] read) {
		String raw = new String(read, StandardCharsets.UTF_8);
		if (!Arrays.equals(read, raw.getBytes(StandardCharsets.UTF_8))) {
			throw new IllegalArgumentException("the failure entry at index " + index
					+ " is not valid UTF-8: a retry would enqueue and store a changed copy of it; remove it instead");
		}
		FailureRecord entry = FailureRecord.parse(raw)
			.orElseThrow(() -> new IllegalArgumentException("the failure entry at index " + index + " is not JSON"));
		if (entry.queue() == null || entry.queue().isEmpty()) {
			throw new IllegalArgumentException("the failure entry at index " + index + " names no queue to retry on");
		}
		String payload;
		try {
			payload = JobPayload.retryPayload(entry.payload());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"the failure entry at index " + index + " has no job payload to retry: " + ex.getMessage());
		}
		return this.redis.failures()
			.retryIfSame(index, read, FailureRecord.markRetried(raw, RubyTime.failedAtNow()), entry.queue(), payload);
	}

	private byte[] read(long index) {
		List<byte[]> read = this.redis.failures().entries(index, index);
		if (read.isEmpty()) {
			throw new IllegalArgumentException("no failure entry at index " + index);
		}
		return read.get(0);
	}

	private static IllegalStateException changed(long index) {
		return new IllegalStateException(
				"the failure entry at index " + index + " changed meanwhile (removed or moved); nothing was done");
	}

	/**
	 * Retries every entry, already-retried ones included, as resque-web's "Retry all".
	 */
	public void retryAll() {
		long count = count();
		for (long i = 0; i < count; i++) {
			retry(i);
		}
	}

	/**
	 * Removes one entry; later indexes shift down by one. The entry removed is the one
	 * read at that index, byte for byte, in one atomic step.
	 * @param index the entry's index
	 * @throws IllegalArgumentException when there is no entry at that index
	 * @throws IllegalStateException when the entry at that index changed meanwhile
	 */
	public void remove(long index) {
		if (!removeIfSame(index, read(index))) {
			throw changed(index);
		}
	}

	/**
	 * Removes an entry as {@link #remove} does, only while the entry at its index is
	 * still, byte for byte, the one read.
	 * @param index the entry's index when it was read
	 * @param read the entry's bytes as read ({@link FailureStore#entries})
	 * @return whether it was removed (false when the entry at that index changed)
	 */
	public boolean removeIfSame(long index, byte[] read) {
		return this.redis.failures().removeIfSame(index, read);
	}

	/** Deletes every entry. */
	public void clear() {
		this.redis.failures().clear();
	}

	/**
	 * Removes the entries that were retried, as resque-web's "Clear retried".
	 * @return how many were removed
	 */
	public int clearRetried() {
		int removed = 0;
		long index = 0;
		while (index < count()) {
			FailureRecord entry = FailureRecord.parse(this.redis.failures().range(index, index).get(0)).orElse(null);
			if (entry != null && entry.retriedAt() != null) {
				remove(index);
				removed++;
			}
			else {
				index++;
			}
		}
		return removed;
	}

}
