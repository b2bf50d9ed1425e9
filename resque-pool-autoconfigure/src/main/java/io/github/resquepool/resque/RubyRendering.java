package io.github.resquepool.resque;

import java.util.Map;
import java.util.function.BiConsumer;

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
	static final Dialect JSON = new Dialect(",", ":", "null", RubyJson::quote, true);

	/**
	 * Ruby's {@code inspect}: {@code ", "}, {@code =>}, {@code nil}, Ruby string
	 * literals.
	 */
	static final Dialect INSPECT = new Dialect(", ", "=>", "nil", RetryKey::inspectString, false);

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
			dialect.string().accept(node.asString(), out);
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
				dialect.string().accept(property.getKey(), out);
				out.append(dialect.pair());
				write(property.getValue(), dialect, out);
			}
			out.append('}');
		}
		else if (dialect.quoteOther()) {
			// binary and POJO nodes: their own text, as a string
			dialect.string().accept(node.asString(), out);
		}
		else {
			out.append(node.asString());
		}
	}

	/**
	 * How one of Ruby's renderings spells what differs.
	 *
	 * @param separator between elements of an array or hash
	 * @param pair between a key and its value
	 * @param nil Ruby's {@code nil}
	 * @param string writes a string literal
	 * @param quoteOther whether a node that is no JSON value is written as a string
	 */
	record Dialect(String separator, String pair, String nil, BiConsumer<String, StringBuilder> string,
			boolean quoteOther) {

	}

}
