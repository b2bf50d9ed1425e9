package io.github.resquepool.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the values of one tag bounded: the first {@code max} distinct values are used as
 * they are, any later new value is folded into {@value #OTHER}. Queue and class names
 * come from payloads that anyone with access to Redis can write, so they must not create
 * meters without limit. Thread-safe.
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
		String candidate = (value != null) ? value : "none";
		if (this.known.contains(candidate)) {
			return candidate;
		}
		synchronized (this.known) {
			if (this.known.size() < this.max) {
				this.known.add(candidate);
				return candidate;
			}
		}
		return OTHER;
	}

}
