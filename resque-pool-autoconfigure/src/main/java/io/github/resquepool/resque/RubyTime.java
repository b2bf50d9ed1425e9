package io.github.resquepool.resque;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The time formats Ruby Resque writes and reads, rendered to the byte.
 * <ul>
 * <li>{@code worker:<id>:started}: Ruby {@code Time#to_s}, {@code 2026-11-22 14:34:42 +0000}</li>
 * <li>{@code run_at} of a working status: UTC ISO-8601 in whole seconds,
 * {@code 2026-11-22T14:34:42Z}</li>
 * <li>heartbeats: ISO-8601 with offset from Redis {@code TIME},
 * {@code 2026-11-22T14:35:51+00:00}</li>
 * <li>{@code failed_at} and 3.x {@code retried_at}: {@code 2026/11/22 14:34:41 UTC}</li>
 * </ul>
 */
public final class RubyTime {

	private static final DateTimeFormatter TIME_TO_S = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx", Locale.ROOT);

	private static final DateTimeFormatter ISO_SECONDS_Z = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);

	private static final DateTimeFormatter HEARTBEAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

	private static final DateTimeFormatter FAILED_AT_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);

	private static final DateTimeFormatter FAILED_AT_PARSE = new DateTimeFormatterBuilder().appendPattern("yyyy/MM/dd HH:mm:ss")
		.optionalStart()
		.appendLiteral(' ')
		.appendZoneText(TextStyle.SHORT)
		.optionalEnd()
		.toFormatter(Locale.ROOT);

	private static final List<Function<String, Instant>> PARSERS = List.of(
			(text) -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
			(text) -> Instant.parse(text),
			(text) -> OffsetDateTime.parse(text, TIME_TO_S).toInstant(),
			(text) -> OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT))
				.toInstant(),
			RubyTime::parseFailedAt);

	private RubyTime() {
	}

	/**
	 * Renders a registration time as Ruby's {@code Time#to_s} does.
	 * @param time the time in the zone of this host
	 * @return for example {@code 2026-11-22 14:34:42 +0000}
	 */
	public static String timeToS(ZonedDateTime time) {
		return TIME_TO_S.format(time);
	}

	/**
	 * Renders the {@code run_at} of a working status.
	 * @param instant the moment the job was taken
	 * @return for example {@code 2026-11-22T14:34:42Z}
	 */
	public static String runAt(Instant instant) {
		long second = instant.getEpochSecond();
		RunAt cached = lastRunAt;
		if (cached != null && cached.second() == second) {
			return cached.text();
		}
		String text = ISO_SECONDS_Z.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
		lastRunAt = new RunAt(second, text);
		return text;
	}

	/** The last rendered run_at: every job taken within one second shares it. */
	private static volatile RunAt lastRunAt;

	private record RunAt(long second, String text) {
	}

	/**
	 * Renders a heartbeat from the seconds of Redis {@code TIME}.
	 * @param epochSecond seconds since the epoch, as Redis reports them
	 * @return for example {@code 2026-11-22T14:35:51+00:00}
	 */
	public static String heartbeat(long epochSecond) {
		return HEARTBEAT.format(Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC));
	}

	/**
	 * Renders a {@code failed_at} or Resque 3.x {@code retried_at} value as Ruby's
	 * {@code Time.now.strftime("%Y/%m/%d %H:%M:%S %Z")} does.
	 * @param time the time in the zone of this host
	 * @return for example {@code 2026/11/22 14:34:41 UTC}
	 */
	public static String failedAt(ZonedDateTime time) {
		return FAILED_AT_DATE.format(time) + " " + zoneAbbreviation(time);
	}

	/**
	 * Renders a {@code failed_at} for the current moment in this host's zone.
	 * @return the current time in Ruby's failure format
	 */
	public static String failedAtNow() {
		return failedAt(ZonedDateTime.now(ZoneId.systemDefault()));
	}

	/**
	 * Reads any time Ruby Resque, resque-web, Jesque or this pool write: ISO-8601 with offset
	 * or {@code Z}, with or without fractions, {@code Time#to_s}, {@code failed_at} with a zone
	 * abbreviation, and the zone-less {@code retried_at} of Resque 2.x (read as UTC).
	 * @param text the stored text
	 * @return the instant, or empty when the text is none of those forms
	 */
	public static Optional<Instant> parse(String text) {
		if (text == null || text.isBlank()) {
			return Optional.empty();
		}
		String trimmed = text.trim();
		for (Function<String, Instant> parser : PARSERS) {
			try {
				return Optional.of(parser.apply(trimmed));
			}
			catch (DateTimeParseException ex) {
				// try the next form
			}
		}
		return Optional.empty();
	}

	private static Instant parseFailedAt(String text) {
		var parsed = FAILED_AT_PARSE.parse(text);
		LocalDateTime local = LocalDateTime.from(parsed);
		ZoneId zone = parsed.query(java.time.temporal.TemporalQueries.zone());
		return local.atZone((zone != null) ? zone : ZoneOffset.UTC).toInstant();
	}

	private static String zoneAbbreviation(ZonedDateTime time) {
		if (time.getZone() instanceof ZoneOffset offset) {
			return offset.equals(ZoneOffset.UTC) ? "UTC" : offset.getId().replace(":", "");
		}
		String id = time.getZone().getId();
		if (id.equals("UTC") || id.equals("Etc/UTC") || id.equals("Z") || id.equals("GMT") && time.getOffset().getTotalSeconds() == 0) {
			return id.equals("GMT") ? "GMT" : "UTC";
		}
		return DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(time);
	}

}
