package io.github.resquepool.scheduler;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resquepool.resque.RubyStrings;

/**
 * Durations as rufus-scheduler reads {@code every:} and {@code first_in:} values, through
 * fugit's {@code Fugit::Duration.parse}.
 * <p>
 * The plain grammar is one or more groups, each an optional sign followed by one or more
 * amounts; groups may be separated by spaces, tabs, commas or {@code and}. An amount is a
 * number ({@code 5}, {@code 1.5}, {@code .5}, {@code 2.}) followed, after optional
 * spaces, by a unit: {@code y}/{@code year}/{@code years} (365 days),
 * {@code M}/{@code month}/{@code months} (30 days, upper-case {@code M} only),
 * {@code w}/{@code week(s)}, {@code d}/{@code day(s)}, {@code h}/{@code hour(s)},
 * {@code m}/{@code min(s)}/{@code minute(s)} (lower-case only) and
 * {@code s}/{@code sec(s)}/{@code second(s)}. Only {@code M} and {@code m} are
 * case-sensitive. A bare number counts as seconds, but only as the last amount
 * ({@code 90}, {@code 1h30}). A sign covers its whole group: {@code -1h30m} is -5400 s,
 * {@code 1h -30m} is 1800 s. When the plain grammar fails, ISO 8601 is tried on the
 * upper-cased text: {@code P1Y2M3W4DT5H6M7.5S}, any part optional, each number possibly
 * negative.
 */
public final class RufusDuration {

	private static final String NUMBER = "(\\d+\\.\\d*|(\\d*\\.)?\\d+) *";

	private static final long DAY = 86_400;

	/**
	 * The largest duration taken, about a thousand years: far beyond any schedule, and
	 * far from the limits of {@link Duration} and {@link java.time.Instant}, so that an
	 * interval read from Redis never overflows the scheduler's arithmetic.
	 */
	private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1000 * 366 * DAY);

	/**
	 * The plain amounts in fugit's order of trial, with the seconds each unit stands for.
	 */
	private static final List<Unit> UNITS = List.of(new Unit(NUMBER + "(?i:y(ears?)?)", 365 * DAY),
			new Unit(NUMBER + "(M|months?)", 30 * DAY), new Unit(NUMBER + "(?i:w(eeks?)?)", 7 * DAY),
			new Unit(NUMBER + "(?i:d(ays?)?)", DAY), new Unit(NUMBER + "(?i:h(ours?)?)", 3600),
			new Unit(NUMBER + "m(in(ute)?s?)?", 60), new Unit(NUMBER + "(?i:s(ec(ond)?)?s?)", 1),
			new Unit("(?m)(\\d+\\.\\d*|\\.\\d+|\\d+)$", 1));

	private static final Pattern SEPARATOR = Pattern.compile("(?i:[ \\t,]+|and)*");

	private static final Pattern SIGN = Pattern.compile("[-+]?");

	private static final Pattern ISO = Pattern.compile("P((-?\\d+[YMWD])*)(T((-?\\d+[HM]|-?(\\d*\\.)?\\d+S)+))?");

	private static final Pattern ISO_PART = Pattern.compile("(-?(\\d*\\.)?\\d+)([YMWDHS])");

	private RufusDuration() {
	}

	/**
	 * Parses a duration as fugit does.
	 * @param text for example {@code 30s}, {@code 1h30m}, {@code 2d}, {@code 90} or
	 * {@code P1D}
	 * @return the duration, which may be zero or negative
	 * @throws IllegalArgumentException when the text is no duration
	 */
	public static Duration parse(String text) {
		return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a duration \"" + text
				+ "\": expected amounts like 30s, 5m, 1h30m, 2d, 1w, 90 (seconds) or ISO 8601 like PT1H30M"));
	}

	/**
	 * Parses a duration as fugit does, telling failure by an empty result.
	 * @param text the text, or {@code null}
	 * @return the duration, or empty when the text is no duration
	 * @throws IllegalArgumentException when the text is a duration too large to schedule
	 */
	public static Optional<Duration> tryParse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		String stripped = RubyStrings.strip(text);
		BigDecimal seconds = parsePlain(stripped);
		if (seconds == null) {
			seconds = parseIso(stripped.toUpperCase(Locale.ROOT));
		}
		return Optional.ofNullable(seconds).map(RufusDuration::toDuration);
	}

	/**
	 * Converts a count of seconds to a duration, rounding to nanoseconds.
	 * @param seconds the seconds
	 * @return the duration
	 */
	static Duration toDuration(BigDecimal seconds) {
		if (seconds.abs().compareTo(MAX_SECONDS) > 0) {
			throw new IllegalArgumentException("a duration of " + seconds.toBigInteger()
					+ " seconds is too large: at most " + MAX_SECONDS + " (about 1,000 years)");
		}
		BigDecimal scaled = seconds.setScale(9, RoundingMode.HALF_UP);
		long whole = scaled.setScale(0, RoundingMode.FLOOR).longValueExact();
		long nanos = scaled.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValueExact();
		return Duration.ofSeconds(whole, nanos);
	}

	private static BigDecimal parsePlain(String text) {
		Matcher sign = SIGN.matcher(text);
		BigDecimal total = BigDecimal.ZERO;
		int position = 0;
		boolean first = true;
		while (true) {
			int start = position;
			if (!first) {
				Matcher separator = SEPARATOR.matcher(text).region(position, text.length());
				separator.lookingAt();
				start = separator.end();
			}
			sign.region(start, text.length()).lookingAt();
			int at = sign.end();
			BigDecimal group = BigDecimal.ZERO;
			int amounts = 0;
			for (Matcher amount = amountAt(text, at); amount != null; amount = amountAt(text, at)) {
				group = group.add(number(amount.group(1)).multiply(BigDecimal.valueOf(unitOf(amount))));
				at = amount.end();
				amounts++;
			}
			if (amounts == 0) {
				return (first || position != text.length()) ? null : total;
			}
			total = "-".equals(sign.group()) ? total.subtract(group) : total.add(group);
			position = at;
			first = false;
		}
	}

	private static Matcher amountAt(String text, int position) {
		for (Unit unit : UNITS) {
			Matcher matcher = unit.pattern().matcher(text).region(position, text.length());
			if (matcher.lookingAt()) {
				return matcher;
			}
		}
		return null;
	}

	private static long unitOf(Matcher amount) {
		return UNITS.stream().filter((unit) -> unit.pattern() == amount.pattern()).findFirst().orElseThrow().seconds();
	}

	private static BigDecimal parseIso(String text) {
		Matcher iso = ISO.matcher(text);
		if (!iso.matches()) {
			return null;
		}
		BigDecimal total = BigDecimal.ZERO;
		total = total.add(isoPart(iso.group(1), false));
		return (iso.group(4) != null) ? total.add(isoPart(iso.group(4), true)) : total;
	}

	private static BigDecimal isoPart(String part, boolean time) {
		BigDecimal total = BigDecimal.ZERO;
		Matcher matcher = ISO_PART.matcher(part);
		while (matcher.find()) {
			long unit = switch (matcher.group(3)) {
				case "Y" -> 365 * DAY;
				case "M" -> time ? 60 : 30 * DAY;
				case "W" -> 7 * DAY;
				case "D" -> DAY;
				case "H" -> 3600;
				default -> 1;
			};
			total = total.add(number(matcher.group(1)).multiply(BigDecimal.valueOf(unit)));
		}
		return total;
	}

	private static BigDecimal number(String digits) {
		return new BigDecimal(digits.endsWith(".") ? digits + "0" : digits);
	}

	private record Unit(Pattern pattern, long seconds) {

		Unit(String regex, long seconds) {
			this(Pattern.compile(regex), seconds);
		}

	}

}
