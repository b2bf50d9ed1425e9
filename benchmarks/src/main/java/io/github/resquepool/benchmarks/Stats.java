package io.github.resquepool.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A median with its minimum and maximum over repetitions.
 *
 * @param median the median (mean of the middle two for an even count)
 * @param min the minimum
 * @param max the maximum
 * @param n the number of values
 */
record Stats(double median, double min, double max, int n) {

	static final Stats NONE = new Stats(Double.NaN, Double.NaN, Double.NaN, 0);

	static Stats of(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values.stream().filter((v) -> !v.isNaN()).toList());
		if (sorted.isEmpty()) {
			return NONE;
		}
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
	}

	/**
	 * Nearest-rank percentile.
	 * @param sorted values in ascending order
	 * @param p the percentile, 0 to 100
	 * @return the value
	 */
	static double percentile(List<Long> sorted, double p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	boolean isEmpty() {
		return this.n == 0;
	}

	/**
	 * @param format formats one value
	 * @return "median (min–max)", or the median alone for one value
	 */
	String format(DoubleFunction<String> format) {
		if (isEmpty()) {
			return "n/a";
		}
		if (this.n == 1 || this.min == this.max) {
			return format.apply(this.median);
		}
		return format.apply(this.median) + " (" + format.apply(this.min) + "–" + format.apply(this.max) + ")";
	}

	static String integer(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	static String decimal(double value, int digits) {
		return String.format(Locale.ROOT, "%,." + digits + "f", value);
	}

}
