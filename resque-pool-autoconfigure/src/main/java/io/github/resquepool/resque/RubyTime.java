package io.github.resquepool.resque;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time formats Ruby Resque writes and reads, rendered to the byte.
 * <ul>
 * <li>{@code worker:<id>:started}: Ruby {@code Time#to_s},
 * {@code 2026-11-22 14:34:42 +0000}</li>
 * <li>{@code run_at} of a working status: UTC ISO-8601 in whole seconds,
 * {@code 2026-11-22T14:34:42Z}</li>
 * <li>heartbeats: ISO-8601 with offset from Redis {@code TIME},
 * {@code 2026-11-22T14:35:51+00:00}</li>
 * <li>{@code failed_at} and 3.x {@code retried_at}: {@code 2026/11/22 14:34:41 UTC}</li>
 * </ul>
 */
public final class RubyTime {

	private static final DateTimeFormatter TIME_TO_S = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx",
			Locale.ROOT);

	private static final DateTimeFormatter ISO_SECONDS_Z = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'",
			Locale.ROOT);

	private static final DateTimeFormatter HEARTBEAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx",
			Locale.ROOT);

	private static final DateTimeFormatter FAILED_AT_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss",
			Locale.ROOT);

	private static final DateTimeFormatter FAILED_AT_LOCAL = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss",
			Locale.ROOT);

	private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.US);

	private static final Pattern FAILED_AT_SHAPE = Pattern
		.compile("(\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d)(?: (\\S+))?");

	private static final Pattern NUMERIC_ZONE = Pattern.compile("[+-]\\d\\d(:?\\d\\d)?");

	private static final List<Function<String, Instant>> PARSERS = List.of(
			(text) -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
			(text) -> Instant.parse(text), (text) -> OffsetDateTime.parse(text, TIME_TO_S).toInstant(),
			(text) -> OffsetDateTime
				.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT))
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
	 * Reads any time Ruby Resque, resque-web, Jesque or this pool write: ISO-8601 with
	 * offset or {@code Z}, with or without fractions, {@code Time#to_s},
	 * {@code failed_at} with a zone abbreviation, and the zone-less {@code retried_at} of
	 * Resque 2.x (read as UTC).
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
		Matcher matcher = FAILED_AT_SHAPE.matcher(text);
		if (!matcher.matches()) {
			throw new DateTimeParseException("not a failed_at time", text, 0);
		}
		LocalDateTime local = LocalDateTime.parse(matcher.group(1), FAILED_AT_LOCAL);
		String zone = matcher.group(2);
		ZoneOffset offset = (zone != null) ? offsetOf(zone) : ZoneOffset.UTC;
		if (offset == null) {
			throw new DateTimeParseException("unknown zone " + zone, text, 0);
		}
		return local.toInstant(offset);
	}

	private static ZoneOffset offsetOf(String zone) {
		if (NUMERIC_ZONE.matcher(zone).matches()) {
			return ZoneOffset.of((zone.length() == 3) ? zone + ":00" : zone);
		}
		return Abbreviations.OFFSETS.get(zone);
	}

	/**
	 * Ruby's {@code %Z}: the zone's abbreviation ({@code UTC}, {@code CET}, {@code EDT}),
	 * or for a zone that has none the offset as glibc writes it ({@code +04},
	 * {@code +0545}).
	 */
	private static String zoneAbbreviation(ZonedDateTime time) {
		if (time.getOffset().equals(ZoneOffset.UTC) && (time.getZone() instanceof ZoneOffset
				|| List.of("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Z", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal")
					.contains(time.getZone().getId()))) {
			return "UTC";
		}
		String name = (time.getZone() instanceof ZoneOffset) ? "" : ZONE_ABBREVIATION.format(time);
		if (name.matches("[A-Z]{2,6}")) {
			return name;
		}
		int seconds = time.getOffset().getTotalSeconds();
		int minutes = Math.abs(seconds) / 60;
		String sign = (seconds < 0) ? "-" : "+";
		return (minutes % 60 == 0) ? String.format(Locale.ROOT, "%s%02d", sign, minutes / 60)
				: String.format(Locale.ROOT, "%s%02d%02d", sign, minutes / 60, minutes % 60);
	}

	/**
	 * Zone abbreviations Ruby may write into {@code failed_at}, with their offsets, taken
	 * from the JDK's zone data; where one abbreviation means several offsets, the common
	 * reading wins ({@code CST} is US Central, {@code IST} India, {@code BST} British
	 * Summer Time).
	 */
	private static final class Abbreviations {

		static final Map<String, ZoneOffset> OFFSETS = load();

		private static Map<String, ZoneOffset> load() {
			Map<String, ZoneOffset> offsets = new HashMap<>();
			offsets.put("UTC", ZoneOffset.UTC);
			offsets.put("GMT", ZoneOffset.UTC);
			offsets.put("Z", ZoneOffset.UTC);
			List<String> zones = new ArrayList<>(List.of("America/New_York", "America/Chicago", "America/Denver",
					"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "Europe/London", "Europe/Berlin",
					"Europe/Helsinki", "Europe/Lisbon", "Europe/Moscow", "Asia/Kolkata", "Asia/Tokyo", "Asia/Seoul",
					"Asia/Hong_Kong", "Asia/Jakarta", "Asia/Manila", "Australia/Sydney", "Australia/Adelaide",
					"Australia/Perth", "Australia/Brisbane", "Pacific/Auckland", "Africa/Johannesburg", "Africa/Lagos",
					"Africa/Nairobi", "Asia/Jerusalem", "Asia/Karachi", "America/Halifax", "America/St_Johns"));
			zones.addAll(new TreeSet<>(ZoneId.getAvailableZoneIds()));
			int year = LocalDate.now().getYear();
			for (String id : zones) {
				ZoneId zone = ZoneId.of(id);
				for (int month : new int[] { 1, 7 }) {
					ZonedDateTime time = LocalDateTime.of(year, month, 15, 12, 0).atZone(zone);
					String name = ZONE_ABBREVIATION.format(time);
					if (name.matches("[A-Z]{2,6}")) {
						offsets.putIfAbsent(name, time.getOffset());
					}
				}
			}
			return Map.copyOf(offsets);
		}

	}

}
