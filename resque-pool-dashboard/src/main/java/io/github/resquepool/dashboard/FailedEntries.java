package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Resque's {@code failed} list as the dashboard shows and changes it: pages, filtered
 * views over a bounded scan, and a retry or remove that acts only while the entry at an
 * index is still, byte for byte, the one shown.
 */
public class FailedEntries {

	/** How many entries one LRANGE of a scan reads. */
	private static final int CHUNK = 500;

	private final ResqueRedis redis;

	private final ResqueFailures failures;

	/**
	 * Creates the accessor.
	 * @param redis the stores of Resque's Redis
	 * @param failures the failed jobs, which retry and remove an entry only while it is
	 * the one read
	 */
	public FailedEntries(ResqueRedis redis, ResqueFailures failures) {
		this.redis = redis;
		this.failures = failures;
	}

	private static String str(byte[] value) {
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A filter on failures; blank fields match everything.
	 *
	 * @param queue the queue, exactly
	 * @param className the job class, exactly
	 * @param exception the exception class, exactly
	 * @param text a substring of the whole entry, ignoring case
	 */
	public record FailureFilter(String queue, String className, String exception, String text) {

		/** Blank fields become {@code null}. */
		public FailureFilter {
			queue = blankToNull(queue);
			className = blankToNull(className);
			exception = blankToNull(exception);
			text = blankToNull(text);
		}

		/**
		 * @return whether the filter matches everything
		 */
		public boolean isEmpty() {
			return this.queue == null && this.className == null && this.exception == null && this.text == null;
		}

		boolean matches(Failure failure) {
			FailureRecord r = failure.record();
			return (this.queue == null || this.queue.equals(r.queue()))
					&& (this.className == null || this.className.equals(r.jobClass().orElse(null)))
					&& (this.exception == null || this.exception.equals(r.exception()))
					&& (this.text == null || failure.raw()
						.toLowerCase(java.util.Locale.ROOT)
						.contains(this.text.toLowerCase(java.util.Locale.ROOT)));
		}

		/**
		 * @return the filter as query parameters, each followed by {@code &}
		 */
		public String toQuery() {
			StringBuilder q = new StringBuilder();
			append(q, "queue", this.queue);
			append(q, "class", this.className);
			append(q, "exception", this.exception);
			append(q, "q", this.text);
			return q.toString();
		}

		private static void append(StringBuilder query, String name, String value) {
			if (value != null) {
				query.append(name).append('=').append(Html.param(value)).append('&');
			}
		}

		/**
		 * @return the filter in words
		 */
		public String describe() {
			List<String> parts = new ArrayList<>();
			if (this.queue != null) {
				parts.add("queue " + this.queue);
			}
			if (this.className != null) {
				parts.add("class " + this.className);
			}
			if (this.exception != null) {
				parts.add("exception " + this.exception);
			}
			if (this.text != null) {
				parts.add("text \"" + this.text + "\"");
			}
			return String.join(", ", parts);
		}

		private static String blankToNull(String value) {
			return (value == null || value.isBlank()) ? null : value.strip();
		}

	}

	/**
	 * One failure entry as stored.
	 *
	 * @param index its index in {@code failed}
	 * @param raw its text
	 * @param record its fields
	 * @param bytes its bytes as stored, by which an action compares it
	 */
	public record Failure(long index, String raw, FailureRecord record, byte[] bytes) {

		/**
		 * An entry whose bytes are its text in UTF-8.
		 * @param index its index in {@code failed}
		 * @param raw its text
		 * @param record its fields
		 */
		public Failure(long index, String raw, FailureRecord record) {
			this(index, raw, record, FailedEntries.bytes(raw));
		}

		/**
		 * @return a digest of the entry's bytes, with which an action checks it still
		 * acts on it
		 */
		public String digest() {
			return FailedEntries.digest(this.bytes);
		}

	}

	/**
	 * What a bulk scan found in one window of {@code failed}.
	 *
	 * @param kept the first matches, at most as many as asked for
	 * @param matches how many entries of the window match
	 * @param from the first index read
	 * @param to the index after the last one read
	 * @param total the length of {@code failed} when the scan began
	 */
	public record Window(List<Failure> kept, long matches, long from, long to, long total) {

		/**
		 * @return whether entries lie beyond the window
		 */
		public boolean more() {
			return this.to < this.total;
		}

	}

	/**
	 * Scans one window of {@code failed} for a filter, in chunks, and keeps only the
	 * first matches: what it holds does not grow with the list.
	 * @param filter the filter
	 * @param from the first index
	 * @param size how many entries the window holds at most
	 * @param keep how many matches to keep
	 * @return what the window holds
	 */
	public Window scanWindow(FailureFilter filter, long from, int size, int keep) {
		long total = this.redis.failures().count();
		long start = Math.max(0, from);
		long to = (start >= total) ? start : start + Math.min(Math.max(0, size), total - start);
		List<Failure> kept = new ArrayList<>();
		long matches = 0;
		for (long chunk = start; chunk < to; chunk += CHUNK) {
			List<Failure> read = readFailures(chunk, Math.min(to, chunk + CHUNK) - 1);
			if (read.isEmpty()) {
				to = chunk;
				break;
			}
			for (Failure failure : read) {
				if (filter.matches(failure)) {
					matches++;
					if (kept.size() < keep) {
						kept.add(failure);
					}
				}
			}
		}
		return new Window(kept, matches, start, to, total);
	}

	/**
	 * A page of failures, possibly of a bounded scan.
	 *
	 * @param entries the entries shown
	 * @param total the length of {@code failed}
	 * @param scanned how many entries the scan read ({@code total} without a filter)
	 * @param scanFrom the first index the scan read
	 * @param matches how many scanned entries match
	 */
	public record FailurePage(List<Failure> entries, long total, long scanned, long scanFrom, long matches) {
	}

	/**
	 * Reads a page of failures: by index without a filter, else from a scan of at most
	 * {@code scanLimit} entries starting at {@code scanFrom}.
	 * @param filter the filter
	 * @param page the page, from 0
	 * @param pageSize entries per page
	 * @param scanFrom where a filtered scan starts
	 * @param scanLimit how many entries a filtered scan reads at most
	 * @return the page
	 */
	public FailurePage failures(FailureFilter filter, int page, int pageSize, long scanFrom, int scanLimit) {
		long total = this.redis.failures().count();
		if (filter.isEmpty()) {
			long start = (long) Math.max(0, page) * pageSize;
			List<Failure> entries = (start < total) ? readFailures(start, start + pageSize - 1) : List.of();
			return new FailurePage(entries, total, total, 0, total);
		}
		long first = Math.min(Math.max(0, scanFrom), total);
		long last = Math.min(total, first + Math.max(0, scanLimit));
		List<Failure> matches = (last > first) ? scan(filter, first, last - 1) : List.of();
		long scanned = last - first;
		int from = (int) Math.min(matches.size(), (long) Math.max(0, page) * pageSize);
		int to = Math.min(matches.size(), from + pageSize);
		return new FailurePage(List.copyOf(matches.subList(from, to)), total, scanned, first, matches.size());
	}

	/**
	 * Every failure that matches a filter, in index order, read in chunks; unbounded with
	 * a {@code stop} of -1, so a bulk action uses {@link #scanWindow} instead.
	 * @param filter the filter
	 * @param start the first index
	 * @param stop the last index, inclusive, or -1 for the end
	 * @return the matching entries
	 */
	public List<Failure> scan(FailureFilter filter, long start, long stop) {
		List<Failure> matches = new ArrayList<>();
		long end = (stop < 0) ? this.redis.failures().count() - 1 : stop;
		for (long chunk = start; chunk <= end; chunk += CHUNK) {
			List<Failure> read = readFailures(chunk, Math.min(end, chunk + CHUNK - 1));
			if (read.isEmpty()) {
				break;
			}
			read.stream().filter(filter::matches).forEach(matches::add);
		}
		return matches;
	}

	private List<Failure> readFailures(long start, long stop) {
		List<Failure> entries = new ArrayList<>();
		long index = start;
		// As bytes, so that an entry that is not valid UTF-8 can still be addressed.
		List<byte[]> stored = this.redis.failures().entries(start, stop);
		for (byte[] bytes : stored) {
			String raw = str(bytes);
			FailureRecord record = FailureRecord.parse(raw)
				.orElse(new FailureRecord(null, raw, null, null, null, null, null, null));
			entries.add(new Failure(index++, raw, record, bytes));
		}
		return entries;
	}

	/**
	 * @param index an index
	 * @return the entry there now
	 */
	public Optional<Failure> failure(long index) {
		if (index < 0) {
			return Optional.empty();
		}
		List<Failure> read = readFailures(index, index);
		return read.isEmpty() ? Optional.empty() : Optional.of(read.get(0));
	}

	/**
	 * Retries a failure entry as {@code Resque::Failure.requeue} does, only while the
	 * entry at its index is still the one shown, as {@link ResqueFailures#retryIfSame}
	 * does it.
	 * @param failure the entry as read
	 * @return whether it was retried (false when the entry at that index changed)
	 * @throws IllegalArgumentException when the entry names no queue or payload, or is
	 * not valid UTF-8
	 */
	public boolean retry(Failure failure) {
		return this.failures.retryIfSame(failure.index(), failure.bytes());
	}

	/**
	 * Removes a failure entry as Ruby does, only while the entry at its index is still
	 * the one shown.
	 * @param failure the entry as read
	 * @return whether it was removed
	 */
	public boolean remove(Failure failure) {
		return this.failures.removeIfSame(failure.index(), failure.bytes());
	}

	/**
	 * @param text a text
	 * @return its SHA-256, hex
	 */
	public static String digest(String text) {
		return digest(bytes(text));
	}

	private static String digest(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
