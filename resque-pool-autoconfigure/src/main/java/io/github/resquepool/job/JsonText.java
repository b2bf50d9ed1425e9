package io.github.resquepool.job;

import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;

/**
 * Short JSON renderings of payload data for messages that operators read: long values are
 * cut, so one bad payload cannot flood a log or a failure entry.
 */
final class JsonText {

	static final int MAX_LENGTH = 100;

	private JsonText() {
	}

	/**
	 * Renders a JSON value, cut to about {@value #MAX_LENGTH} characters.
	 * @param value the value, {@code null} for a missing one
	 * @return the JSON text
	 */
	static String of(JsonNode value) {
		return cut((value != null) ? value.toString() : "null");
	}

	/**
	 * Renders a string as a JSON string literal, cut to about {@value #MAX_LENGTH}
	 * characters.
	 * @param text the text, may be {@code null}
	 * @return the quoted text, or {@code null}
	 */
	static String quote(String text) {
		if (text == null) {
			return "null";
		}
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		JsonStringEncoder.getInstance().quoteAsString(text, quoted);
		return cut(quoted.append('"').toString());
	}

	/**
	 * Renders where inside a value a conversion failed, e.g. {@code .items[2].name}.
	 * @param path the references from the conversion error
	 * @return the path, empty for the value itself
	 */
	static String path(List<JacksonException.Reference> path) {
		StringBuilder rendered = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				rendered.append('.').append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				rendered.append('[').append(reference.getIndex()).append(']');
			}
		}
		return rendered.toString();
	}

	private static String cut(String text) {
		if (text.length() <= MAX_LENGTH) {
			return text;
		}
		return text.substring(0, MAX_LENGTH) + "... (" + text.length() + " characters)";
	}

}
