package io.github.resquepool.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.springframework.web.util.HtmlUtils;

/**
 * The one way the dashboard writes text into HTML: everything that comes from Redis
 * (queue and class names, arguments, exception messages, backtraces) goes through
 * {@link #text}, so none of it can become markup.
 */
public final class Html {

	/** A backtick, and the control characters an HTML page must not carry. */
	private static final Pattern UNSAFE = Pattern.compile("[`\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");

	private Html() {
	}

	/**
	 * Escapes a text for an HTML element body or a quoted attribute value.
	 * @param value the text, or {@code null} (rendered empty)
	 * @return the escaped text
	 */
	public static String text(Object value) {
		if (value == null) {
			return "";
		}
		String escaped = HtmlUtils.htmlEscape(value.toString(), "UTF-8");
		return UNSAFE.matcher(escaped).replaceAll((match) -> match.group().equals("`") ? "&#96;" : "&#xFFFD;");
	}

	/**
	 * Encodes a query parameter value (then safe in an attribute, as it holds no quote).
	 * @param value the value
	 * @return the encoded value
	 */
	public static String param(Object value) {
		return (value != null) ? URLEncoder.encode(value.toString(), StandardCharsets.UTF_8) : "";
	}

}
