package io.github.resquepool.resque;

import java.util.HexFormat;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Walks a JSON tree the way Ruby renders the value it decodes to, in one of Ruby's two
 * dialects: {@link #JSON} as its {@code json} gem generates it, and {@link #INSPECT} as
 * {@code Object#inspect} shows it. The two differ only in their separators, their
 * {@code nil}, how they quote a string and what they make of a node that is no JSON
 * value; numbers are Ruby's in both ({@code Float#to_s}, integers of any size plain).
 */
final class RubyRendering {

	/** Ruby's {@code JSON.generate}: compact, {@code null}, JSON string literals. */
	static final Dialect JSON = new Dialect(",", ":", "null", RubyRendering::jsonEscape, true);

	/**
	 * Ruby's {@code inspect}: {@code ", "}, {@code =>}, {@code nil}, Ruby string
	 * literals.
	 */
	static final Dialect INSPECT = new Dialect(", ", "=>", "nil", RubyRendering::inspectEscape, false);

	private static final HexFormat HEX = HexFormat.of();

	private RubyRendering() {
	}

	/**
	 * Renders a tree.
	 * @param node the tree, {@code null} or missing for Ruby's {@code nil}
	 * @param dialect the dialect
	 * @param out where the text goes
	 */
	static void write(JsonNode node, Dialect dialect, StringBuilder out) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			out.append(dialect.nil());
		}
		else if (node.isString()) {
			quote(node.asString(), dialect.escaper(), out);
		}
		else if (node.isBoolean()) {
			out.append(node.booleanValue());
		}
		else if (node.isIntegralNumber()) {
			out.append(node.bigIntegerValue());
		}
		else if (node.isNumber()) {
			out.append(RubyFloat.rubyFloat(node.doubleValue()));
		}
		else if (node.isArray()) {
			out.append('[');
			boolean first = true;
			for (JsonNode element : node) {
				out.append(first ? "" : dialect.separator());
				first = false;
				write(element, dialect, out);
			}
			out.append(']');
		}
		else if (node.isObject()) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				out.append(first ? "" : dialect.separator());
				first = false;
				quote(property.getKey(), dialect.escaper(), out);
				out.append(dialect.pair());
				write(property.getValue(), dialect, out);
			}
			out.append('}');
		}
		else if (dialect.quoteOther()) {
			// binary and POJO nodes: their own text, as a string
			quote(node.asString(), dialect.escaper(), out);
		}
		else {
			out.append(node.asString());
		}
	}

	/**
	 * Appends a string literal: a surrogate pair is written as it is, every other
	 * character as the escaper says.
	 * @param text the string
	 * @param escaper the dialect's escapes
	 * @param out where it goes
	 */
	static void quote(String text, Escaper escaper, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			char next = (i + 1 < text.length()) ? text.charAt(i + 1) : 0;
			if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
				out.append(c).append(next);
				i++;
				continue;
			}
			String escaped = escaper.escape(c, next);
			if (escaped != null) {
				out.append(escaped);
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	/**
	 * Ruby's JSON generator: short escapes, other control characters as a backslash,
	 * {@code u00} and two hex digits, everything else raw ({@code /}, DEL, U+2028 and
	 * U+2029 included).
	 */
	private static String jsonEscape(char c, char next) {
		return switch (c) {
			case '"' -> "\\\"";
			case '\\' -> "\\\\";
			case '\b' -> "\\b";
			case '\f' -> "\\f";
			case '\n' -> "\\n";
			case '\r' -> "\\r";
			case '\t' -> "\\t";
			default -> {
				if (Character.isSurrogate(c)) {
					throw new IllegalArgumentException(
							"a string holds an unpaired surrogate, which is not UTF-8 and which Ruby cannot write");
				}
				yield (c < 0x20) ? "\\u00" + HEX.toHexDigits((byte) c) : null;
			}
		};
	}

	/**
	 * Ruby's {@code String#inspect} of a UTF-8 string: its escapes, a backslash before a
	 * {@code #} that would start an interpolation, and a backslash, {@code u} and four
	 * upper-case hex digits for the characters it does not print.
	 */
	private static String inspectEscape(char c, char next) {
		return switch (c) {
			case '"' -> "\\\"";
			case '\\' -> "\\\\";
			case '\n' -> "\\n";
			case '\r' -> "\\r";
			case '\t' -> "\\t";
			case '\f' -> "\\f";
			case '\u000b' -> "\\v";
			case '\b' -> "\\b";
			case '\u0007' -> "\\a";
			case '\u001b' -> "\\e";
			case '#' -> (next == '{' || next == '$' || next == '@') ? "\\#" : null;
			default -> (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029')
					? "\\u" + HEX.withUpperCase().toHexDigits(c) : null;
		};
	}

	/**
	 * How one of Ruby's renderings spells what differs.
	 *
	 * @param separator between elements of an array or hash
	 * @param pair between a key and its value
	 * @param nil Ruby's {@code nil}
	 * @param escaper the escapes of its string literals
	 * @param quoteOther whether a node that is no JSON value is written as a string
	 */
	record Dialect(String separator, String pair, String nil, Escaper escaper, boolean quoteOther) {

	}

	/**
	 * The escape of one character in a string literal.
	 */
	@FunctionalInterface
	interface Escaper {

		/**
		 * @param c the character
		 * @param next the character after it, {@code 0} at the end
		 * @return its escape, or {@code null} to write it as it is
		 */
		String escape(char c, char next);

	}

}
