package io.github.resquepool.scheduler.cron;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of a cron line as fugit's Raabro grammar does, character for
 * character: lists may have stray commas ({@code ,5,,10,}), {@code &} may follow the
 * day-of-month or day-of-week list, and a time zone may follow after spaces. Values are
 * not checked against each other here; {@link CronFields} does that.
 */
final class CronSyntax {

	private static final Pattern COMMAS = Pattern.compile("([ \\t]*,)*");

	private static final Pattern COMMA = Pattern.compile(",([ \\t]*,)*");

	private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

	private static final Pattern SLASH = Pattern.compile("/(\\d\\d?)");

	private static final Pattern HASH = Pattern.compile("#(-?[1-5]|last|l)", Pattern.CASE_INSENSITIVE);

	private static final Pattern MODULO = Pattern.compile("%(\\d+)(\\+(\\d+))?");

	private static final Pattern ZONE = Pattern
		.compile(" +([-+]([01][0-9]|2[0-4]):?(00|15|30|45)|[A-Z][a-zA-Z0-9+\\-]+(/[A-Z][a-zA-Z0-9+\\-_]+){0,2})");

	private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

	private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
			"oct", "nov", "dec");

	/**
	 * The fields in their order, with fugit's value pattern and what a user may write in
	 * each.
	 */
	enum Field {

		SECOND("second", "[0-5]?\\d", "0-59"), MINUTE("minute", "[0-5]?\\d", "0-59"),
		HOUR("hour", "(2[0-4]|[01]?[0-9])", "0-23 (or 24)"),
		DAY_OF_MONTH("day-of-month", "(?i:(-?(3[01]|[12][0-9]|0?[1-9])|last|l))", "1-31, L, last or -1 to -31"),
		MONTH("month", "(?i:(1[0-2]|0?[1-9]|" + String.join("|", MONTHS) + "))", "1-12 or jan-dec"),
		DAY_OF_WEEK("day-of-week", "(?i:([0-7]|" + String.join("|", DAYS) + "))",
				"0-7 or sun-sat, with #1 to #5, #-1 to #-5 or #L, or %n+m");

		final String label;

		final Pattern value;

		final String expected;

		Field(String label, String value, String expected) {
			this.label = label;
			this.value = Pattern.compile(value);
			this.expected = expected;
		}

	}

	/**
	 * One list element: {@code start-end/step}, {@code day#hash} or
	 * {@code day%modulo+offset}.
	 *
	 * @param start the first value, {@code null} for {@code *}
	 * @param end the last value of a range, or {@code null}
	 * @param step the step, or {@code null}
	 * @param hash the nth weekday, or {@code null}
	 * @param modulo the week modulo and offset, or {@code null}
	 */
	record Element(Integer start, Integer end, Integer step, Integer hash, int[] modulo) {
	}

	/**
	 * A line read into fields.
	 *
	 * @param fields the elements of each field, seconds first (seconds are {@code null}
	 * for a five-field line)
	 * @param and whether a {@code &} asks for day-of-month AND day-of-week
	 * @param zone the time zone text, or {@code null}
	 */
	record Line(List<List<Element>> fields, boolean and, String zone) {
	}

	/** Why a line could not be read, and where. */
	static final class SyntaxError extends Exception {

		final int position;

		SyntaxError(String message, int position) {
			super(message, null, false, false);
			this.position = position;
		}

	}

	private final String text;

	private int position;

	private CronSyntax(String text) {
		this.text = text;
	}

	/**
	 * Reads a line, with or without a leading seconds field.
	 * @param text the line, stripped and with macros expanded
	 * @param seconds whether the first of six fields is seconds
	 * @return the line
	 * @throws SyntaxError when the grammar does not match
	 */
	static Line read(String text, boolean seconds) throws SyntaxError {
		return new CronSyntax(text).line(seconds);
	}

	private Line line(boolean seconds) throws SyntaxError {
		List<List<Element>> fields = new ArrayList<>();
		if (!seconds) {
			fields.add(null);
		}
		Field[] order = Field.values();
		for (int i = seconds ? 0 : 1; i < order.length; i++) {
			Field field = order[i];
			int start = this.position;
			skip(COMMAS);
			List<Element> elements = new ArrayList<>();
			elements.add(element(field, start));
			while (true) {
				Matcher comma = at(COMMA);
				int before = this.position;
				if (comma == null) {
					break;
				}
				this.position = comma.end();
				try {
					elements.add(element(field, start));
				}
				catch (SyntaxError ex) {
					this.position = before;
					break;
				}
			}
			skip(COMMAS);
			if (field == Field.DAY_OF_MONTH || field == Field.DAY_OF_WEEK) {
				skip(Pattern.compile("&?"));
			}
			if (field != Field.DAY_OF_WEEK) {
				if (at(BLANKS) == null) {
					throw invalid(field, start);
				}
				skip(BLANKS);
			}
			fields.add(elements);
		}
		String zone = null;
		Matcher matcher = at(ZONE);
		if (matcher != null) {
			zone = matcher.group(1);
			this.position = matcher.end();
		}
		if (this.position < this.text.length()) {
			throw new SyntaxError("unexpected \"" + this.text.substring(this.position).strip()
					+ "\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00",
					this.position);
		}
		return new Line(fields, this.text.indexOf('&') >= 0, zone);
	}

	private Element element(Field field, int fieldStart) throws SyntaxError {
		Matcher slash = at(SLASH);
		if (slash != null) {
			this.position = slash.end();
			return new Element(null, null, Integer.parseInt(slash.group(1)), null, null);
		}
		Integer start = null;
		Integer end = null;
		if (this.text.startsWith("*", this.position)) {
			this.position++;
		}
		else {
			Matcher value = at(field.value);
			if (value == null || this.text.startsWith("~", (value != null) ? value.end() : this.position)) {
				throw invalid(field, fieldStart);
			}
			this.position = value.end();
			start = value(field, value.group());
			if (field == Field.DAY_OF_WEEK) {
				Element special = weekdaySpecial(start);
				if (special != null) {
					return special;
				}
			}
			if (this.text.startsWith("-", this.position)) {
				Matcher last = field.value.matcher(this.text).region(this.position + 1, this.text.length());
				if (last.lookingAt()) {
					end = value(field, last.group());
					this.position = last.end();
				}
			}
		}
		slash = at(SLASH);
		if (slash != null) {
			this.position = slash.end();
		}
		return new Element(start, end, (slash != null) ? Integer.parseInt(slash.group(1)) : null, null, null);
	}

	private Element weekdaySpecial(int day) {
		Matcher hash = at(HASH);
		if (hash != null) {
			this.position = hash.end();
			String nth = hash.group(1);
			return new Element(day, null, null, Character.isLetter(nth.charAt(0)) ? -1 : Integer.parseInt(nth), null);
		}
		Matcher modulo = at(MODULO);
		if (modulo != null) {
			this.position = modulo.end();
			int offset = (modulo.group(3) != null) ? Integer.parseInt(modulo.group(3)) : 0;
			return new Element(day, null, null, null, new int[] { Integer.parseInt(modulo.group(1)), offset });
		}
		return null;
	}

	private static int value(Field field, String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		return switch (field) {
			case MONTH -> Character.isLetter(lower.charAt(0)) ? MONTHS.indexOf(lower) + 1 : Integer.parseInt(lower);
			case DAY_OF_WEEK -> Character.isLetter(lower.charAt(0)) ? DAYS.indexOf(lower) : Integer.parseInt(lower);
			case DAY_OF_MONTH -> lower.startsWith("l") ? -1 : Integer.parseInt(lower);
			default -> Integer.parseInt(lower);
		};
	}

	private SyntaxError invalid(Field field, int fieldStart) {
		Matcher token = Pattern.compile("[^ \\t]*").matcher(this.text).region(fieldStart, this.text.length());
		token.lookingAt();
		String near = this.text.substring(this.position, Math.min(this.text.length(), this.position + 10));
		boolean random = this.text.startsWith("~", this.position)
				|| (this.position < this.text.length() && token.group().indexOf('~') >= 0);
		String found = (this.position < this.text.length()) ? "cannot read \"" + near + "\"" : "the line ends here";
		String why = random ? "fugit's random ranges (~) are not supported"
				: found + "; expected " + field.expected + ", *, a range a-b, a step /n, or a list of those";
		return new SyntaxError(field.label + " field \"" + token.group() + "\": " + why, this.position);
	}

	private Matcher at(Pattern pattern) {
		Matcher matcher = pattern.matcher(this.text).region(this.position, this.text.length());
		return matcher.lookingAt() ? matcher : null;
	}

	private void skip(Pattern pattern) {
		Matcher matcher = at(pattern);
		if (matcher != null) {
			this.position = matcher.end();
		}
	}

}
