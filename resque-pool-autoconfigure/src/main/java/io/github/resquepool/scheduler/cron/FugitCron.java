package io.github.resquepool.scheduler.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.resquepool.resque.RubyStrings;
import io.github.resquepool.scheduler.cron.CronSyntax.Line;
import io.github.resquepool.scheduler.cron.CronSyntax.SyntaxError;

/**
 * A cron line as resque-scheduler reads {@code cron:}, through rufus-scheduler and
 * {@code Fugit::Cron}: five fields (minute hour day-of-month month day-of-week) or six
 * with seconds first, then optionally a time zone ({@code Europe/Berlin}, {@code UTC},
 * {@code +09:00}); or a macro ({@code @yearly}, {@code @annually}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @noon}, {@code @hourly}),
 * optionally followed by a zone. Fields hold lists of values, ranges and steps
 * ({@code 1,15}, {@code 10-40/5}, {@code *}{@code /15}, {@code /15}, wrapping
 * {@code 22-2}), month and day names ({@code jan}, {@code mon-fri}), {@code L},
 * {@code last} and negative days of the month ({@code -2} is the day before the last),
 * the nth weekday of the month ({@code mon#2}, {@code fri#-1}, {@code fri#L}), and
 * fugit's week modulo ({@code tue%2}, {@code tue%3+1}).
 * <p>
 * When both day-of-month and day-of-week are restricted, a day matches if either matches,
 * as in {@code man 5 crontab}; a {@code &} after either field makes both necessary,
 * fugit's extension. Without a zone, times are computed in the zone of the time passed
 * in.
 * <p>
 * {@link #next(ZonedDateTime)} steps field by field exactly as fugit's {@code next_time}
 * does, so DST transitions come out as in Ruby: a wall-clock time that a spring-forward
 * gap skips does not fire that day, and when the clock falls back, a time fires once, in
 * its first (summer) instance, since fugit skips an occurrence with the same wall-clock
 * reading as the previous. Not supported: fugit's random {@code ~} ranges.
 */
public final class FugitCron {

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
			"@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@noon",
			"0 12 * * *", "@hourly", "0 * * * *");

	private static final Pattern LOOKS_LIKE_ZONE = Pattern.compile("[A-Z][a-zA-Z0-9+\\-_/]+|[-+]\\d.*");

	private static final Pattern DAY_NAME = Pattern.compile("(?i)(sun|mon|tue|wed|thu|fri|sat)");

	/** The text as written. */
	private final String original;

	/** The expanded fields. */
	private final CronFields fields;

	private FugitCron(String original, CronFields fields) {
		this.original = original;
		this.fields = fields;
	}

	/**
	 * Parses a cron line as {@code Fugit::Cron.do_parse} does.
	 * @param text the line, for example {@code 0 5 * * * Europe/Berlin}
	 * @return the cron
	 * @throws IllegalArgumentException naming the field, the value and the reason when
	 * fugit would not accept the line
	 */
	public static FugitCron parse(String text) {
		if (text == null) {
			throw new IllegalArgumentException("invalid cron string null");
		}
		try {
			return new FugitCron(text, CronFields.of(read(expandMacro(text, RubyStrings.strip(text)))));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid cron string \"" + text + "\": " + ex.getMessage(), ex);
		}
	}

	private static String expandMacro(String original, String text) {
		if (!text.startsWith("@")) {
			return text;
		}
		String[] parts = text.split("\\s+", 2);
		String expanded = MACROS.get(parts[0]);
		if (expanded == null) {
			throw new IllegalArgumentException("@reboot".equals(parts[0]) ? "@reboot has no time to compute"
					: "unknown macro " + parts[0] + ", expected one of @yearly, @annually, @monthly, @weekly, @daily, "
							+ "@midnight, @noon or @hourly");
		}
		return (parts.length > 1) ? expanded + " " + parts[1] : expanded;
	}

	private static Line read(String text) {
		SyntaxError withSeconds;
		try {
			return CronSyntax.read(text, true);
		}
		catch (SyntaxError ex) {
			withSeconds = ex;
		}
		try {
			return CronSyntax.read(text, false);
		}
		catch (SyntaxError ex) {
			String[] tokens = text.isEmpty() ? new String[0] : text.split("[ \\t]+");
			if (tokens.length < 5 || tokens.length > 7) {
				throw new IllegalArgumentException(
						"expected 5 fields (minute hour day-of-month month day-of-week) or 6 "
								+ "(seconds first), optionally followed by a time zone, but found " + tokens.length);
			}
			String last = tokens[tokens.length - 1];
			boolean zoned = LOOKS_LIKE_ZONE.matcher(last).matches() && !DAY_NAME.matcher(last).matches();
			boolean fiveFields = tokens.length == 5 || (tokens.length == 6 && zoned);
			throw new IllegalArgumentException((fiveFields ? ex : withSeconds).getMessage());
		}
	}

	/**
	 * Returns the time zone the line names.
	 * @return the zone, or empty when times are computed in the zone of the time passed
	 * in
	 */
	public Optional<ZoneId> zone() {
		return Optional.ofNullable(this.fields.zone());
	}

	/**
	 * Tells whether a time, to the second, is an occurrence.
	 * @param time the time, read in the cron's zone if it has one
	 * @return whether it matches
	 */
	public boolean matches(ZonedDateTime time) {
		return new CronMatcher(this.fields).matches(inZone(time));
	}

	/**
	 * Computes the first occurrence strictly after a time, as fugit's {@code next_time}
	 * does.
	 * @param after the time to start from; fractions of a second are dropped
	 * @return the occurrence, in the zone of {@code after}
	 * @throws IllegalStateException when no occurrence is found within fugit's 2048 steps
	 * (a line like {@code 0 0 1 * mon#5&} that never occurs)
	 */
	public ZonedDateTime next(ZonedDateTime after) {
		return new CronMatcher(this.fields).next(after, inZone(after), this.original)
			.withZoneSameInstant(after.getZone());
	}

	/**
	 * Computes the first occurrence strictly after an instant, in the cron's zone or, if
	 * it has none, in this JVM's default zone, as a Ruby process uses its local zone.
	 * @param after the instant to start from
	 * @return the occurrence
	 */
	public Instant next(Instant after) {
		return next(after.atZone(ZoneId.systemDefault())).toInstant();
	}

	/**
	 * Computes the last occurrence strictly before a time, as fugit's
	 * {@code previous_time} does, but stepping back over days and months by the calendar.
	 * @param before the time to start from
	 * @return the occurrence, in the zone of {@code before}
	 * @throws IllegalStateException when no occurrence is found within 2048 steps
	 */
	public ZonedDateTime previous(ZonedDateTime before) {
		return new CronMatcher(this.fields).previous(inZone(before), this.original)
			.withZoneSameInstant(before.getZone());
	}

	/**
	 * Computes the last occurrence strictly before an instant, in the cron's zone or this
	 * JVM's default zone.
	 * @param before the instant to start from
	 * @return the occurrence
	 */
	public Instant previous(Instant before) {
		return previous(before.atZone(ZoneId.systemDefault())).toInstant();
	}

	private ZonedDateTime inZone(ZonedDateTime time) {
		return (this.fields.zone() != null) ? time.withZoneSameInstant(this.fields.zone()) : time;
	}

	/**
	 * Describes the expanded fields, for diagnostics.
	 * @return for example
	 * {@code seconds=[0] minutes=[0, 30] hours=* ... weekdays=[1#2, 5]}
	 */
	String describe() {
		CronFields f = this.fields;
		return "seconds=" + text(f.seconds()) + " minutes=" + text(f.minutes()) + " hours=" + text(f.hours())
				+ " monthdays=" + text(f.monthdays()) + " months=" + text(f.months()) + " weekdays="
				+ ((f.weekdays() != null) ? f.weekdays().stream().map(FugitCron::text).toList() : "*") + " and="
				+ f.and() + " zone=" + f.zone();
	}

	private static String text(CronFields.Weekday day) {
		return day.day() + ((day.nth() != 0) ? "#" + day.nth() : "")
				+ ((day.modulo() != 0) ? "%" + day.modulo() + "+" + day.offset() : "");
	}

	private static String text(int[] values) {
		return (values != null) ? Arrays.toString(values) : "*";
	}

	/**
	 * Returns the line as written.
	 * @return the original text
	 */
	@Override
	public String toString() {
		return this.original;
	}

}
