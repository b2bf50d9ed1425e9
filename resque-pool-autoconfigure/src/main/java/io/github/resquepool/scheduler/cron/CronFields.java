package io.github.resquepool.scheduler.cron;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.resquepool.scheduler.cron.CronSyntax.Element;
import io.github.resquepool.scheduler.cron.CronSyntax.Line;

/**
 * The values of a cron line, expanded as fugit's {@code Cron#init} does. A {@code null}
 * array means any value: a field is {@code *} when any element is {@code *} or spans the
 * whole field ({@code 0-59}, {@code *}{@code /1}, {@code 1-31}), which matters for the
 * day-of-month OR day-of-week rule. Ranges may wrap ({@code 50-10}, {@code fri-mon}),
 * negative days of the month count from the end ({@code -1} and {@code L} are the last
 * day), hour 24 is hour 0, and day-of-week 7 is Sunday.
 *
 * @param seconds the seconds, sorted
 * @param minutes the minutes, sorted
 * @param hours the hours, sorted
 * @param monthdays the days of the month, sorted, negative from the end of the month
 * @param months the months, sorted
 * @param weekdays the days of the week
 * @param and whether day-of-month and day-of-week must both match
 * @param zone the zone of the line, or {@code null}
 */
record CronFields(int[] seconds, int[] minutes, int[] hours, int[] monthdays, int[] months, List<Weekday> weekdays,
		boolean and, ZoneId zone) {

	private static final int[] MAX_DAYS = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	/**
	 * One day of the week, possibly restricted to the nth of the month or to a week
	 * modulo.
	 *
	 * @param day the day, 0 for Sunday
	 * @param nth the nth such day of the month (negative from its end), or 0 for any
	 * @param modulo the modulo of fugit's reference week, or 0 for any
	 * @param offset the remainder the reference week must have for that modulo
	 */
	record Weekday(int day, int nth, int modulo, int offset) implements Comparable<Weekday> {

		@Override
		public int compareTo(Weekday other) {
			int byDay = Integer.compare(this.day, other.day);
			return (byDay != 0) ? byDay : Integer.compare(this.nth * 1000 + this.modulo * 10 + this.offset,
					other.nth * 1000 + other.modulo * 10 + other.offset);
		}

	}

	/**
	 * Expands a read line.
	 * @param line the line
	 * @return the fields
	 * @throws IllegalArgumentException when a step is 0, a range mixes negative and
	 * positive days, a modulo is 0, no day of the month exists in the months given, or
	 * the zone is unknown
	 */
	static CronFields of(Line line) {
		List<List<Element>> fields = line.fields();
		int[] seconds = (fields.get(0) != null) ? determine("second", fields.get(0), 0, 59) : new int[] { 0 };
		int[] minutes = determine("minute", fields.get(1), 0, 59);
		int[] hours = determine("hour", fields.get(2), 0, 23);
		int[] monthdays = determine("day-of-month", fields.get(3), 1, 31);
		int[] months = determine("month", fields.get(4), 1, 12);
		List<Weekday> weekdays = weekdays(fields.get(5));
		ZoneId zone = (line.zone() != null) ? CronZones.resolve(line.zone()) : null;
		if (months != null && monthdays != null) {
			// fugit drops the months and days that never meet, and refuses the line if
			// none are left
			Set<Integer> keptMonths = new LinkedHashSet<>();
			Set<Integer> keptDays = new TreeSet<>();
			for (int month : months) {
				for (int day : monthdays) {
					if (day <= MAX_DAYS[month]) {
						keptMonths.add(month);
						keptDays.add(day);
					}
				}
			}
			if (keptMonths.isEmpty()) {
				throw new IllegalArgumentException("day-of-month and month fields: no day " + join(monthdays)
						+ " exists in month " + join(months));
			}
			months = keptMonths.stream().mapToInt(Integer::intValue).toArray();
			monthdays = keptDays.stream().mapToInt(Integer::intValue).toArray();
		}
		return new CronFields(seconds, minutes, hours, monthdays, months, weekdays, line.and(), zone);
	}

	private static int[] determine(String label, List<Element> elements, int min, int max) {
		Set<Integer> values = new TreeSet<>();
		for (Element element : elements) {
			List<Integer> expanded = expand(label, element, min, max);
			if (expanded == null) {
				return null;
			}
			expanded.forEach((value) -> values.add((max == 23 && value == 24) ? 0 : value));
		}
		return values.stream().mapToInt(Integer::intValue).toArray();
	}

	private static List<Integer> expand(String label, Element element, int min, int max) {
		Integer start = element.start();
		Integer end = element.end();
		Integer step = element.step();
		if (step != null && step < 1) {
			throw new IllegalArgumentException(label + " field: step /" + step + " must be at least 1");
		}
		end = (step != null && end == null) ? Integer.valueOf(max) : end;
		if (start == null && end == null) {
			return null;
		}
		if (start != null && end == null) {
			return List.of(start);
		}
		int from = (start != null) ? start : min;
		int to = (end == null || (end < 0 && from > 0)) ? max : end;
		return range(label, min, max, from, to, (step != null) ? step : 1);
	}

	private static List<Integer> range(String label, int min, int max, int start, int end, int step) {
		if (start == min && end == max && step == 1) {
			return null;
		}
		if ((start < 0 && end > 0) || (end < 0 && start > 0)) {
			throw new IllegalArgumentException(
					label + " field: both start and end must be negative in the range " + start + " to " + end);
		}
		int low = (start < 0) ? -max : min;
		int high = (start < 0) ? -1 : max;
		List<Integer> all = new ArrayList<>();
		int value = start;
		int last = end;
		while (true) {
			all.add(value);
			if (value == last || all.size() > 2 * max) {
				break;
			}
			value++;
			if (value > high) {
				value = low;
				last = (last > high) ? last - high - 1 : last;
			}
		}
		Set<Integer> stepped = new LinkedHashSet<>();
		for (int i = 0; i < all.size(); i += step) {
			stepped.add(all.get(i));
		}
		return new ArrayList<>(stepped);
	}

	private static List<Weekday> weekdays(List<Element> elements) {
		Set<Weekday> days = new TreeSet<>();
		for (Element element : elements) {
			Integer start = element.start();
			Integer end = element.end();
			if (element.hash() != null || element.modulo() != null) {
				int[] modulo = element.modulo();
				if (modulo != null && modulo[0] < 1) {
					throw new IllegalArgumentException(
							"day-of-week field: modulo %" + modulo[0] + " must be at least 1");
				}
				days.add(new Weekday(start % 7, (element.hash() != null) ? element.hash() : 0,
						(modulo != null) ? modulo[0] : 0, (modulo != null) ? modulo[1] : 0));
				continue;
			}
			if (element.step() != null) {
				// fugit reads "3/2" as "3", unlike the other fields, and "*/0" as "*/1"
				int to = (end != null) ? end : (start != null) ? start : 6;
				int from = (start != null) ? start : 0;
				to = (from > to) ? to + 7 : to;
				for (int day = from; day <= to; day += Math.max(element.step(), 1)) {
					days.add(new Weekday(day % 7, 0, 0, 0));
				}
			}
			else if (end != null) {
				int to = (start > end) ? end + 7 : end;
				for (int day = start; day <= to; day++) {
					days.add(new Weekday(day % 7, 0, 0, 0));
				}
			}
			else if (start != null) {
				days.add(new Weekday(start % 7, 0, 0, 0));
			}
		}
		return days.isEmpty() ? null : List.copyOf(days);
	}

	private static String join(int[] values) {
		StringBuilder joined = new StringBuilder();
		for (int value : values) {
			joined.append((joined.length() > 0) ? "," : "").append(value);
		}
		return joined.toString();
	}

}
