package io.github.resquepool.scheduler.cron;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the time zone of a cron line as et-orbi's {@code get_tzone} does: an offset of
 * at most eleven hours and 59 minutes ({@code +09:00}, {@code -0530}), a few
 * Windows-style aliases ({@code UTC-11}), then the longest leading part of the name that
 * is a tz database zone, so that {@code Europe/Berlinx} means {@code Europe/Berlin} and
 * {@code GMT+5} means {@code GMT}, as in Ruby.
 */
final class CronZones {

	private static final Pattern OFFSET = Pattern.compile("([+-])([0-1]?[0-9]):?([0-5][0-9])?");

	private static final Pattern ABBREVIATION_OFFSET = Pattern.compile("([A-Z]{3,4})([+-])(\\d{1,2}):?(\\d{2})?");

	/** tzinfo lists these names, but cannot load them, so fugit fails on them. */
	private static final Pattern BROKEN_UTC_NAMES = Pattern.compile("UTC[+-]([0-9]|1[0-2])");

	private static final Map<String, String> ALIASES = Map.of("UTC-11", "Etc/GMT+11", "UTC+12", "Etc/GMT-12", "UTC-02",
			"Etc/GMT+2", "CST5CDT", "CST6CDT");

	private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

	private CronZones() {
	}

	/**
	 * Resolves a zone as fugit would.
	 * @param name the zone text of a cron line
	 * @return the zone
	 * @throws IllegalArgumentException when fugit would not resolve it, or resolves it
	 * through zone abbreviations this port does not know
	 */
	static ZoneId resolve(String name) {
		Matcher offset = OFFSET.matcher(name);
		if (offset.matches()) {
			int hours = Integer.parseInt(offset.group(2));
			int minutes = (offset.group(3) != null) ? Integer.parseInt(offset.group(3)) : 0;
			if (hours > 11) {
				throw unknown(name, "et-orbi accepts offsets up to 11:59 only");
			}
			int sign = "-".equals(offset.group(1)) ? -1 : 1;
			return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
		}
		String alias = ALIASES.get(name);
		if (alias != null) {
			return ZoneId.of(alias);
		}
		Matcher abbreviated = ABBREVIATION_OFFSET.matcher(name);
		if (abbreviated.matches()) {
			boolean universal = "UTC".equals(abbreviated.group(1)) || "GMT".equals(abbreviated.group(1));
			boolean zero = Integer.parseInt(abbreviated.group(3)) == 0
					&& (abbreviated.group(4) == null || Integer.parseInt(abbreviated.group(4)) == 0);
			if (universal && zero) {
				return ZoneOffset.UTC;
			}
			if (!universal) {
				throw unknown(name,
						"zone abbreviations with an offset are not supported, use a name like America/New_York");
			}
		}
		for (String prefix = name; !prefix.isEmpty(); prefix = prefix.substring(0, prefix.length() - 1)) {
			if (BROKEN_UTC_NAMES.matcher(prefix).matches()) {
				throw unknown(name, "tzinfo lists " + prefix + " but cannot load it");
			}
			if (ZONES.contains(prefix)) {
				return ZoneId.of(prefix);
			}
		}
		throw unknown(name, "not a tz database zone");
	}

	private static IllegalArgumentException unknown(String name, String why) {
		return new IllegalArgumentException("unknown time zone \"" + name + "\": " + why);
	}

}
