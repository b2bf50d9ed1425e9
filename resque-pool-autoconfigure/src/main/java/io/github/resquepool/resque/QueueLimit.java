package io.github.resquepool.resque;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.convert.DurationStyle;

/**
 * A fleet-wide limit on one queue: how many of its jobs run at once, how many start per
 * window, or both. Written as {@code resque.pool.queue-limits.<queue>} takes it: a plain
 * number is a concurrency ({@code 2}; {@code 0} holds the queue), {@code 100/1m} a rate,
 * and {@code 2, 100/1m} both.
 *
 * @param concurrency how many of its jobs run at once, or -1 for no such limit
 * @param rate how many of its jobs start per window, or -1 for no such limit
 * @param per the rate's window (fixed windows, by Redis' clock)
 */
public record QueueLimit(int concurrency, int rate, Duration per) {

	/** The largest concurrency or rate a limit set at run time takes. */
	public static final int MAX = 1_000_000;

	/** The window of a limit without a rate. */
	static final Duration NO_WINDOW = Duration.ofSeconds(1);

	/** Checks the limit. */
	public QueueLimit {
		if (concurrency < -1 || rate < -1) {
			throw new IllegalArgumentException("a concurrency or rate must be 0 or more");
		}
		if (concurrency == -1 && rate == -1) {
			throw new IllegalArgumentException("it sets neither a concurrency nor a rate");
		}
		if (per == null || per.toMillis() < 1) {
			throw new IllegalArgumentException("a rate's window must be at least 1ms");
		}
	}

	/**
	 * Reads a limit as the property writes it.
	 * @param text {@code 2}, {@code 100/1m} or {@code 2, 100/1m}
	 * @return the limit
	 * @throws IllegalArgumentException when it is none of these
	 */
	public static QueueLimit parse(String text) {
		if (text == null || text.isBlank() || text.length() > 100) {
			throw new IllegalArgumentException(
					"write a concurrency such as 2, a rate such as 100/1m, or both: 2, 100/1m");
		}
		int concurrency = -1;
		int rate = -1;
		Duration per = NO_WINDOW;
		for (String part : text.split(",")) {
			String value = part.strip().toLowerCase(Locale.ROOT);
			int slash = value.indexOf('/');
			try {
				if (slash < 0) {
					if (concurrency != -1) {
						throw new IllegalArgumentException("it gives two concurrencies");
					}
					concurrency = Integer.parseInt(value);
					if (concurrency < 0) {
						throw new IllegalArgumentException("a concurrency must be 0 or more");
					}
				}
				else {
					if (rate != -1) {
						throw new IllegalArgumentException("it gives two rates");
					}
					rate = Integer.parseInt(value.substring(0, slash).strip());
					String window = value.substring(slash + 1).strip();
					per = DurationStyle.detectAndParse(
							Character.isDigit(window.isEmpty() ? 'x' : window.charAt(0)) ? window : "1" + window);
					if (rate < 0) {
						throw new IllegalArgumentException("a rate must be 0 or more");
					}
				}
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						"'" + part.strip() + "' is neither a concurrency such as 2 nor a rate such as 100/1m", ex);
			}
		}
		return new QueueLimit(concurrency, rate, per);
	}

	/**
	 * Writes a window in its largest whole unit: {@code 1m}, {@code 90s}, {@code 250ms}.
	 * @param window the window
	 * @return the window as text
	 */
	public static String window(Duration window) {
		long millis = window.toMillis();
		long[] sizes = { 86_400_000, 3_600_000, 60_000, 1000 };
		String[] units = { "d", "h", "m", "s" };
		for (int i = 0; i < sizes.length; i++) {
			if (millis % sizes[i] == 0) {
				return (millis / sizes[i]) + units[i];
			}
		}
		return millis + "ms";
	}

	/**
	 * @return the limit as the property writes it
	 */
	@Override
	public String toString() {
		String ratePart = this.rate + "/" + window(this.per);
		if (this.concurrency >= 0 && this.rate >= 0) {
			return this.concurrency + ", " + ratePart;
		}
		return (this.concurrency >= 0) ? Integer.toString(this.concurrency) : ratePart;
	}

}
