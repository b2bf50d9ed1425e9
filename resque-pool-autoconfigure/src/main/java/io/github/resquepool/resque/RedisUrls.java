package io.github.resquepool.resque;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the password of Redis URLs in text that the product prints or shows: a start-up
 * failure report, a log line, Actuator's {@code env} and {@code configprops}. In a Redis
 * URL the user information is {@code user:password} or, without a colon, the password
 * alone ({@code redis://secret@host}), so both are masked.
 */
public final class RedisUrls {

	/** What stands in for a hidden password. */
	public static final String MASK = "******";

	private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)([^@/?#\\s]*)@");

	private RedisUrls() {
	}

	/**
	 * @param text any text, {@code null} included
	 * @return the text with the password of every URL in it replaced by {@value #MASK}
	 */
	public static String mask(String text) {
		if (text == null || text.indexOf('@') < 0) {
			return text;
		}
		Matcher matcher = USER_INFO.matcher(text);
		StringBuilder masked = new StringBuilder();
		while (matcher.find()) {
			String userInfo = matcher.group(2);
			int colon = userInfo.indexOf(':');
			String hidden = (colon >= 0) ? userInfo.substring(0, colon + 1) + MASK : MASK;
			matcher.appendReplacement(masked, Matcher.quoteReplacement(matcher.group(1) + hidden + "@"));
		}
		matcher.appendTail(masked);
		return masked.toString();
	}

}
