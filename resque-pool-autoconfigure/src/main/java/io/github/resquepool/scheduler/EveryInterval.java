package io.github.resquepool.scheduler;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resque-scheduler {@code every:} value as rufus-scheduler schedules it: an interval,
 * and optionally when the first firing comes. The value is a duration ({@code "30s"},
 * {@code 90}), or an array of a duration and an options hash ({@code ['30s', {first_in:
 * '2m'}]}). As in resque-scheduler, an array of more than two elements, or whose last
 * element is not a hash, stands for its first element alone. Of the options, rufus reads
 * the first start from {@code first}, {@code first_time}, {@code first_at} or
 * {@code first_in}, in that order of precedence; a value that reads as a duration delays
 * the first firing by that much, any other text is a point in time, left for the caller
 * to parse. Without a first start, rufus fires one interval after the schedule loads.
 *
 * @param interval the time between firings, positive
 * @param firstIn how long after loading the first firing comes, when given as a duration
 * @param firstAt the time of the first firing, when given as a point in time, unparsed
 */
public record EveryInterval(Duration interval, Optional<Duration> firstIn, Optional<String> firstAt) {

	private static final List<String> FIRST_KEYS = List.of("first", "first_time", "first_at", "first_in");

	/**
	 * Reads an {@code every:} value as decoded from YAML or JSON.
	 * @param value a string, a number of seconds, or a list of one of those and a map of
	 * options
	 * @return the interval
	 * @throws IllegalArgumentException when the value is no duration, is not positive, or
	 * its first start lies in the past
	 */
	public static EveryInterval parse(Object value) {
		Object interval = value;
		Map<?, ?> options = Map.of();
		if (value instanceof List<?> list) {
			if (list.isEmpty()) {
				throw new IllegalArgumentException("every: an empty array holds no duration");
			}
			interval = list.get(0);
			if (list.size() <= 2 && list.get(list.size() - 1) instanceof Map<?, ?> map) {
				options = map;
				interval = (list.size() == 2) ? list.get(0) : map;
			}
		}
		Duration duration = duration("every", interval);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("every: the frequency must be positive, got " + render(interval));
		}
		Map<?, ?> given = options;
		Object first = FIRST_KEYS.stream()
			.map((key) -> option(given, key))
			.filter((v) -> v != null)
			.findFirst()
			.orElse(null);
		if (first == null) {
			return new EveryInterval(duration, Optional.empty(), Optional.empty());
		}
		Optional<Duration> firstIn = (first instanceof Number) ? Optional.of(duration("first_in", first))
				: RufusDuration.tryParse(first.toString());
		if (firstIn.isPresent() && firstIn.get().isNegative()) {
			throw new IllegalArgumentException("every: cannot set first_in in the past: " + render(first));
		}
		if (firstIn.isEmpty() && IMMEDIATELY.contains(first.toString())) {
			firstIn = Optional.of(Duration.ZERO);
		}
		if (firstIn.isEmpty()) {
			// fails here, at load, on a time that cannot be read
			pointInTime(first.toString(), ZoneOffset.UTC);
		}
		return new EveryInterval(duration, firstIn,
				firstIn.isPresent() ? Optional.empty() : Optional.of(first.toString()));
	}

	/** A date and a time, then an optional zone, offset or {@code UTC}. */
	private static final Pattern LOCAL_TIME = Pattern
		.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(?:\\s*(\\S+))?");

	/** What rufus reads as "at once". */
	private static final List<String> IMMEDIATELY = List.of("now", ":now", "immediately", ":immediately");

	/**
	 * When the first firing comes for a schedule loaded at {@code loaded}: after
	 * {@code first_in}, at {@code first_at}, or one interval after loading. Rufus refuses
	 * a {@code first_at} in the past; this keeps its phase instead, so that a schedule
	 * read again after that time (a restart, a new lock holder) fires at the next
	 * {@code first_at + k × interval}.
	 * @param loaded when the schedule was loaded
	 * @param zone the zone of a {@code first_at} that names none (Ruby's local time)
	 * @return the first firing
	 */
	public Instant first(Instant loaded, ZoneId zone) {
		if (this.firstIn.isPresent()) {
			return loaded.plus(this.firstIn.get());
		}
		if (this.firstAt.isEmpty()) {
			return loaded.plus(this.interval);
		}
		Instant at = pointInTime(this.firstAt.get(), zone);
		if (at.isBefore(loaded)) {
			long behind = (Duration.between(at, loaded).toMillis() + this.interval.toMillis() - 1)
					/ Math.max(1, this.interval.toMillis());
			at = at.plus(this.interval.multipliedBy(behind));
		}
		return at;
	}

	/**
	 * Reads a point in time as rufus's {@code first_at} takes it (et-orbi's parse): ISO
	 * 8601 ({@code 2030-01-01T10:00:00Z}, with an offset, or local), or
	 * {@code yyyy-MM-dd HH:mm[:ss[.fraction]]} followed by nothing (local time),
	 * {@code Z}, {@code UTC}, an offset ({@code +01:00}, {@code +0100}) or a zone id
	 * ({@code Europe/Berlin}).
	 * @param text the time
	 * @param zone the zone of a local time
	 * @return the instant
	 * @throws IllegalArgumentException when the text is no such time
	 */
	static Instant pointInTime(String text, ZoneId zone) {
		String value = text.strip();
		try {
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			// next form
		}
		try {
			return ZonedDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			// next form
		}
		Matcher m = LOCAL_TIME.matcher(value);
		if (m.matches()) {
			try {
				LocalDateTime local = LocalDateTime
					.parse(m.group(1) + "T" + ((m.group(2).length() == 5) ? m.group(2) + ":00" : m.group(2)));
				String suffix = m.group(3);
				ZoneId at = zone;
				if (suffix != null) {
					at = (suffix.equals("Z") || suffix.equals("UTC")) ? ZoneOffset.UTC : suffix.matches("[+-]\\d{4}")
							? ZoneOffset.of(suffix.substring(0, 3) + ":" + suffix.substring(3)) : ZoneId.of(suffix);
				}
				return local.atZone(at).toInstant();
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException("first_at: " + render(text) + " is no time: " + ex.getMessage(), ex);
			}
		}
		throw new IllegalArgumentException("first_at: " + render(text)
				+ " is neither a duration nor a time (such as \"2030-01-01 10:00:00\" or \"2030-01-01T10:00:00Z\")");
	}

	private static Object option(Map<?, ?> options, String key) {
		Object value = options.get(key);
		value = (value != null) ? value : options.get(":" + key);
		// Ruby's || skips false as well as nil
		return Boolean.FALSE.equals(value) ? null : value;
	}

	private static Duration duration(String key, Object value) {
		if (value instanceof Number number) {
			BigDecimal seconds = (number instanceof Double || number instanceof Float)
					? finite(key, number.doubleValue()) : new BigDecimal(number.toString());
			return RufusDuration.toDuration(seconds);
		}
		if (value instanceof String text) {
			try {
				return RufusDuration.parse(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(key + ": " + ex.getMessage(), ex);
			}
		}
		throw new IllegalArgumentException(
				key + ": expected a duration string or a number of seconds, got " + render(value));
	}

	private static BigDecimal finite(String key, double value) {
		if (!Double.isFinite(value)) {
			throw new IllegalArgumentException(key + ": " + value + " is not a number of seconds");
		}
		return BigDecimal.valueOf(value);
	}

	private static String render(Object value) {
		return (value instanceof String) ? "\"" + value + "\"" : String.valueOf(value);
	}

}
