package io.github.resquepool.pool;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * The heap a pool may keep in use after a garbage collection before it drains and its
 * application exits, so that Heroku, systemd or Kubernetes start a fresh one before the
 * kernel kills it.
 *
 * @param bytes the limit, in bytes
 * @param grace how long the heap after a collection may stay above the limit (meanwhile
 * the pool takes no new job)
 * @param spelled the limit as configured, for messages
 */
public record MemoryLimit(long bytes, Duration grace, String spelled) {

	/** The default grace: one minute. */
	public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

	/**
	 * Reads a limit: a size such as {@code 800MB}, or a percentage of the maximum heap
	 * such as {@code 85%}.
	 * @param value the configured value
	 * @param grace the grace
	 * @param maxHeap the maximum heap, in bytes ({@code Runtime.maxMemory()})
	 * @return the limit
	 * @throws IllegalArgumentException with the reason when the value is neither, or out
	 * of range
	 */
	public static MemoryLimit parse(String value, Duration grace, long maxHeap) {
		String text = value.strip();
		if (grace == null || grace.isNegative()) {
			throw new IllegalArgumentException("the grace must be zero or more, not " + grace);
		}
		if (text.endsWith("%")) {
			double percent;
			try {
				percent = Double.parseDouble(text.substring(0, text.length() - 1).strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + value + "' is not a percentage such as 85%");
			}
			if (!(percent > 0 && percent < 100)) {
				throw new IllegalArgumentException("a percentage of the maximum heap must be above 0% and below 100%");
			}
			return new MemoryLimit((long) (maxHeap * percent / 100), grace,
					text + " of a maximum heap of " + DataSize.ofBytes(maxHeap).toMegabytes() + "MB");
		}
		DataSize size;
		try {
			size = DataSize.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'" + value + "' is neither a size such as 800MB nor a percentage such as 85%");
		}
		if (size.toBytes() <= 0) {
			throw new IllegalArgumentException("the limit must be positive");
		}
		if (size.toBytes() >= maxHeap) {
			throw new IllegalArgumentException(
					"the limit must be below the maximum heap (" + DataSize.ofBytes(maxHeap).toMegabytes()
							+ "MB, -Xmx), or it can never be reached before an " + "OutOfMemoryError");
		}
		return new MemoryLimit(size.toBytes(), grace, text);
	}

}
