package io.github.resquepool.resque;

/**
 * Ruby's {@code String#strip}, which trims a different set of characters than Java's
 * {@code strip} and {@code trim}.
 */
public final class RubyStrings {

	private static final String LEADING = " \t\n\u000b\f\r";

	private static final String TRAILING = LEADING + "\0";

	private RubyStrings() {
	}

	/**
	 * Removes leading whitespace and trailing whitespace or NUL, as Ruby does.
	 * @param text the text
	 * @return the stripped text
	 */
	public static String strip(String text) {
		int start = 0;
		int end = text.length();
		while (start < end && LEADING.indexOf(text.charAt(start)) >= 0) {
			start++;
		}
		while (end > start && TRAILING.indexOf(text.charAt(end - 1)) >= 0) {
			end--;
		}
		return text.substring(start, end);
	}

}
