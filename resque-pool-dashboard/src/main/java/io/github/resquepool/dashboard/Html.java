package io.github.resquepool.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The one way the dashboard writes text into HTML: everything that comes from Redis
 * (queue and class names, arguments, exception messages, backtraces) goes through
 * {@link #text}, so none of it can become markup.
 */
public final class Html {

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
		String s = value.toString();
		StringBuilder out = new StringBuilder(s.length() + 16);
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '&' -> out.append("&amp;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				case '`' -> out.append("&#96;");
				default -> {
					if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
						out.append("&#xFFFD;");
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
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
