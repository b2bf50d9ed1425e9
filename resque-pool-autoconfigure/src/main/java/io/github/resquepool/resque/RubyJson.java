package io.github.resquepool.resque;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * JSON written byte for byte as Ruby's {@code json} gem generates it (through
 * {@code Resque.encode}): compact, keys in insertion order, UTF-8 written raw (also
 * {@code /}, DEL, U+2028 and U+2029), {@code "}, {@code \}, {@code \b \f \n \r \t} as
 * short escapes, other control characters as a backslash, {@code u00} and two lower-case
 * hex digits, floats as Ruby's {@code Float#to_s} ({@code 1.0e-05}, {@code 10000000.0})
 * and integers of any size plain. These bytes matter wherever Ruby looks a value up by
 * its encoding: resque-scheduler's {@code timestamps:<item>} index,
 * {@code remove_delayed} and {@code Resque.dequeue}.
 */
public final class RubyJson {

	private RubyJson() {
	}

	/**
	 * Ruby's {@code Array(args)}, as resque-scheduler applies it to job arguments: no
	 * arguments become an empty array, an array stays as it is, anything else is wrapped
	 * in one.
	 * @param args the arguments, possibly {@code null} or missing
	 * @return them as an array
	 */
	public static JsonNode asArray(JsonNode args) {
		if (args == null || args.isNull() || args.isMissingNode()) {
			return JsonNodeFactory.instance.arrayNode();
		}
		if (args.isArray()) {
			return args;
		}
		return JsonNodeFactory.instance.arrayNode().add(args);
	}

	/**
	 * Renders a JSON tree as Ruby would.
	 * @param node the tree
	 * @return the compact text
	 * @throws IllegalArgumentException for NaN, the infinities and strings with an
	 * unpaired surrogate, which Ruby cannot generate
	 */
	public static String write(JsonNode node) {
		StringBuilder out = new StringBuilder(64);
		RubyRendering.write(node, RubyRendering.JSON, out);
		return out.toString();
	}

	/**
	 * Quotes a string as Ruby's JSON generator does.
	 * @param text the string
	 * @return the JSON string literal
	 */
	public static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2);
		RubyRendering.quote(text, RubyRendering.JSON.escaper(), out);
		return out.toString();
	}

}
