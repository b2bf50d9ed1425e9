package io.github.resquepool.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the values of one tag bounded: the first {@code max} distinct values are used as
 * they are, any later new value is folded into {@value #OTHER}. Queue and class names
 * come from payloads that anyone with access to Redis can write, so they must not create
 * meters without limit. Values the application names itself (registered job classes,
 * configured queues) always keep their own tag, however many junk values came first.
 * Thread-safe.
 */
public final class BoundedTagValues {

	/** The value that stands for every value past the limit. */
	public static final String OTHER = "other";

	private final int max;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a limit.
	 * @param max the number of distinct values kept, at least 1
	 */
	public BoundedTagValues(int max) {
		if (max < 1) {
			throw new IllegalArgumentException("max must be at least 1, was " + max);
		}
		this.max = max;
	}

	/**
	 * Returns the tag value to use for a value.
	 * @param value the value, {@code null} reads as {@code "none"}
	 * @return the value itself while the limit allows, else {@value #OTHER}
	 */
	public String of(String value) {
		return of(value, false);
	}

	/**
	 * Returns the tag value to use for a value.
	 * @param value the value, {@code null} reads as {@code "none"}
	 * @param known whether the value is one the application itself names (a registered
	 * job class, a configured queue)
	 * @return the value itself when known or while the limit allows, else {@value #OTHER}
	 */
	public String of(String value, boolean known) {
		String candidate = (value != null) ? value : "none";
		if (this.known.contains(candidate)) {
			return candidate;
		}
		synchronized (this.known) {
			if (known || this.known.size() < this.max) {
				this.known.add(candidate);
				return candidate;
			}
		}
		return OTHER;
	}

}
