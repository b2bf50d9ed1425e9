package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;

/**
 * One {@link ResqueLimit @ResqueLimit} of a handler, checked and with its key expression
 * parsed, so that a bad one fails the start rather than a job.
 */
public final class JobLimit {

	private final int index;

	private final int concurrency;

	private final int rate;

	private final Duration per;

	private final @Nullable String keySource;

	private final @Nullable Expression key;

	/**
	 * Checks and parses a limit.
	 * @param index its position among the handler's limits, which names it
	 * @param concurrency the concurrency, or -1
	 * @param rate the rate, or -1
	 * @param per the rate's window
	 * @param key the key expression, or {@code null} or empty for none
	 * @throws IllegalArgumentException when it limits nothing, a number is below -1, the
	 * window is not positive, or the key does not parse
	 */
	public JobLimit(int index, int concurrency, int rate, Duration per, @Nullable String key) {
		if (concurrency < -1 || rate < -1) {
			throw new IllegalArgumentException(
					"its concurrency and rate must be 0 or more (or -1 for none), not " + concurrency + " and " + rate);
		}
		if (concurrency == -1 && rate == -1) {
			throw new IllegalArgumentException("it sets neither a concurrency nor a rate");
		}
		if (per.isNegative() || per.isZero() || per.toMillis() < 1) {
			throw new IllegalArgumentException("its window \"per\" must be at least 1ms, not " + per);
		}
		this.index = index;
		this.concurrency = concurrency;
		this.rate = rate;
		this.per = per;
		this.keySource = (key != null && !key.isBlank()) ? key : null;
		try {
			this.key = (this.keySource != null) ? JobKeys.parse(this.keySource) : null;
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException(
					"its key \"" + this.keySource + "\" is not a valid SpEL expression: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return its position among the handler's limits
	 */
	public int index() {
		return this.index;
	}

	/**
	 * @return how many of its jobs may run at once, or -1
	 */
	public int concurrency() {
		return this.concurrency;
	}

	/**
	 * @return how many of its jobs may start per window, or -1
	 */
	public int rate() {
		return this.rate;
	}

	/**
	 * @return the rate's window
	 */
	public Duration per() {
		return this.per;
	}

	/**
	 * @return the key expression as written, or {@code null} for a limit of the whole
	 * class
	 */
	public @Nullable String keySource() {
		return this.keySource;
	}

	/**
	 * Evaluates the key over a job's bound arguments.
	 * @param method the handler's method
	 * @param args the bound arguments
	 * @return the key's value as text ({@code "null"} for null), or {@code null} for a
	 * limit without a key
	 * @throws org.springframework.expression.EvaluationException when the expression
	 * fails on these arguments
	 */
	public @Nullable String keyOf(Method method, Object[] args) {
		if (this.key == null) {
			return null;
		}
		return String.valueOf(JobKeys.evaluate(this.key, method, args));
	}

	@Override
	public String toString() {
		return "@ResqueLimit(" + ((this.concurrency >= 0) ? "concurrency = " + this.concurrency : "")
				+ ((this.concurrency >= 0 && this.rate >= 0) ? ", " : "")
				+ ((this.rate >= 0) ? "rate = " + this.rate + ", per = " + this.per : "")
				+ ((this.keySource != null) ? ", key = \"" + this.keySource + "\"" : "") + ")";
	}

}
