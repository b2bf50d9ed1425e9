package io.github.resquepool.scheduler.cron;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import io.github.resquepool.scheduler.cron.CronFields.Weekday;

/**
 * Matches times against {@link CronFields} and steps to the next or previous occurrence
 * with fugit's {@code TimeCursor}: a mismatching month jumps to the start of the next
 * month, a day to the next midnight, an hour or a minute to the next one, a second to the
 * next listed second, so a search takes at most a few hundred steps, whatever the line.
 */
final class CronMatcher {

	/** fugit's {@code MAX_ITERATION_COUNT}. */
	private static final int MAX_STEPS = 2048;

	/** et-orbi's {@code RWEEK_REF_DEFAULT}, the Monday that starts reference week 0. */
	private static final LocalDate REFERENCE_MONDAY = LocalDate.of(2018, 12, 31);

	private final CronFields fields;

	CronMatcher(CronFields fields) {
		this.fields = fields;
	}

	boolean matches(ZonedDateTime time) {
		return month(time) && day(time) && contains(this.fields.hours(), time.getHour())
				&& contains(this.fields.minutes(), time.getMinute())
				&& contains(this.fields.seconds(), time.getSecond());
	}

	ZonedDateTime next(ZonedDateTime from, ZonedDateTime start, String original) {
		long fromSecond = from.toEpochSecond();
		LocalDateTime fromWallClock = from.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS);
		ZonedDateTime t = start.truncatedTo(ChronoUnit.SECONDS);
		String fromZone = zoneState(t);
		for (int steps = 1;; steps++) {
			if (steps > MAX_STEPS) {
				throw tooManySteps(original, "next");
			}
			if (t.toEpochSecond() == fromSecond) {
				t = t.plusSeconds(1);
			}
			else if (!month(t)) {
				t = nextMonth(t);
			}
			else if (!day(t)) {
				t = nextDay(t);
			}
			else if (!contains(this.fields.hours(), t.getHour())) {
				t = t.plusSeconds((60 - t.getMinute()) * 60L - t.getSecond());
			}
			else if (!contains(this.fields.minutes(), t.getMinute())) {
				t = t.plusSeconds(60L - t.getSecond());
			}
			else if (!contains(this.fields.seconds(), t.getSecond())) {
				t = t.plusSeconds(nextSecond(t.getSecond()));
			}
			else if (t.toLocalDateTime().equals(fromWallClock) && !zoneState(t).equals(fromZone)) {
				// fugit never yields the wall-clock time it started from twice in a row
				// (gh-6)
				fromWallClock = t.toLocalDateTime();
				fromZone = zoneState(t);
				fromSecond = t.toEpochSecond();
			}
			else {
				return t;
			}
		}
	}

	ZonedDateTime previous(ZonedDateTime before, String original) {
		ZonedDateTime t = before.minusNanos(1).truncatedTo(ChronoUnit.SECONDS);
		for (int steps = 1;; steps++) {
			if (steps > MAX_STEPS) {
				throw tooManySteps(original, "previous");
			}
			if (!month(t)) {
				t = t.toLocalDate().withDayOfMonth(1).atStartOfDay(t.getZone()).minusSeconds(1);
			}
			else if (!day(t)) {
				t = t.toLocalDate().atStartOfDay(t.getZone()).minusSeconds(1);
			}
			else if (!contains(this.fields.hours(), t.getHour())) {
				t = t.minusSeconds(t.getMinute() * 60L + t.getSecond() + 1);
			}
			else if (!contains(this.fields.minutes(), t.getMinute())) {
				t = t.minusSeconds(t.getSecond() + 1L);
			}
			else if (!contains(this.fields.seconds(), t.getSecond())) {
				t = t.minusSeconds(t.getSecond() - previousSecond(t.getSecond()));
			}
			else {
				return t;
			}
		}
	}

	private boolean month(ZonedDateTime t) {
		return contains(this.fields.months(), t.getMonthValue());
	}

	private boolean day(ZonedDateTime t) {
		if (this.fields.weekdays() != null && this.fields.monthdays() != null) {
			return this.fields.and() ? (weekday(t) && monthday(t)) : (weekday(t) || monthday(t));
		}
		return weekday(t) && monthday(t);
	}

	private boolean weekday(ZonedDateTime t) {
		if (this.fields.weekdays() == null) {
			return true;
		}
		int day = t.getDayOfWeek().getValue() % 7;
		for (Weekday weekday : this.fields.weekdays()) {
			if (weekday.day() == day && (weekday.nth() == 0 && weekday.modulo() == 0 || nth(t, weekday.nth())
					|| weekday.modulo() > 0 && Math.floorMod(referenceWeek(t), weekday.modulo()) == Math
						.floorMod(weekday.offset(), weekday.modulo()))) {
				return true;
			}
		}
		return false;
	}

	private static boolean nth(ZonedDateTime t, int nth) {
		int day = t.getDayOfMonth();
		return nth != 0 && (nth == (day - 1) / 7 + 1 || nth == -((t.toLocalDate().lengthOfMonth() - day) / 7 + 1));
	}

	/**
	 * et-orbi's {@code rweek}: whole days between noons, so a DST offset can shift it by
	 * a day.
	 */
	private static long referenceWeek(ZonedDateTime t) {
		ZoneId zone = t.getZone();
		long seconds = t.toLocalDate().atTime(LocalTime.NOON).atZone(zone).toEpochSecond()
				- REFERENCE_MONDAY.atTime(LocalTime.NOON).atZone(zone).toEpochSecond();
		return Math.floorDiv(Math.floorDiv(seconds, 86_400), 7);
	}

	private boolean monthday(ZonedDateTime t) {
		if (this.fields.monthdays() == null) {
			return true;
		}
		// fugit takes the last day as the day 24 hours before the next month starts, even
		// on a
		// 23-hour last day
		int last = nextMonth(t).minusSeconds(86_400).getDayOfMonth() + 1;
		for (int day : this.fields.monthdays()) {
			if (((day < 1) ? last + day : day) == t.getDayOfMonth()) {
				return true;
			}
		}
		return false;
	}

	private static ZonedDateTime nextMonth(ZonedDateTime t) {
		return t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(t.getZone());
	}

	private static ZonedDateTime nextDay(ZonedDateTime t) {
		ZonedDateTime next = t.plusSeconds((24 - t.getHour()) * 3600L - t.getMinute() * 60L - t.getSecond());
		if (next.getHour() == 0) {
			return next;
		}
		LocalDateTime midnight = next.toLocalDate().atStartOfDay();
		if (next.getHour() < 12 && !t.getZone().getRules().getValidOffsets(midnight).isEmpty()) {
			return ZonedDateTime.of(midnight, t.getZone());
		}
		// after a 25-hour day, or where midnight does not exist: fugit adds the hours
		// left
		return next.plusSeconds((24 - next.getHour()) * 3600L);
	}

	private long nextSecond(int second) {
		for (int candidate : this.fields.seconds()) {
			if (candidate > second) {
				return candidate - second;
			}
		}
		return 60L - second + this.fields.seconds()[0];
	}

	private int previousSecond(int second) {
		int[] seconds = this.fields.seconds();
		for (int i = seconds.length - 1; i >= 0; i--) {
			if (seconds[i] < second) {
				return seconds[i];
			}
		}
		return seconds[seconds.length - 1] - 60;
	}

	private static String zoneState(ZonedDateTime t) {
		return t.getOffset() + "|" + t.getZone().getRules().isDaylightSavings(t.toInstant());
	}

	private static boolean contains(int[] values, int value) {
		if (values == null) {
			return true;
		}
		for (int candidate : values) {
			if (candidate == value) {
				return true;
			}
		}
		return false;
	}

	private static IllegalStateException tooManySteps(String original, String direction) {
		return new IllegalStateException("too many steps for \"" + original + "\" looking for the " + direction
				+ " time: the line most likely never occurs (like Feb 30th)");
	}

}
