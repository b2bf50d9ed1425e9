package io.github.resquepool.resque;

import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The small JSON needs of the wire format: quoting a string as Ruby's json gem does and telling
 * whether a text is a JSON object, with a private mapper that is independent of how the
 * application configures its own.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		JsonStringEncoder.getInstance().quoteAsString(text, out);
		return out.append('"').toString();
	}

	static JsonNode readTree(String text) {
		try {
			return MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	static boolean isObject(String text) {
		if (text == null || !text.stripLeading().startsWith("{")) {
			return false;
		}
		JsonNode node = readTree(text);
		return node != null && node.isObject();
	}

	/**
	 * Renders a payload for a JSON document: as is when it is a JSON object, else as a string.
	 */
	static String payloadValue(String payload) {
		if (payload == null) {
			return "null";
		}
		return isObject(payload) ? payload : quote(payload);
	}

}
