package io.github.resquepool.resque;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The small JSON needs of the wire format: quoting a string as Ruby's json gem does and
 * telling whether a text is a JSON object, with a private mapper that is independent of
 * how the application configures its own.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	/**
	 * Refuses an object with a key twice: Jackson keeps the last value where other
	 * readers (Ruby's json gem keeps the last too, but a raw scan finds the first) may
	 * see another, so a job could run one list of arguments and be retried with another.
	 */
	private static final JsonMapper STRICT = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

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

	/**
	 * Reads a job payload, refusing a duplicate key at any depth.
	 * @param text the payload text
	 * @return the tree, or {@code null} when the text is not JSON
	 * @throws InvalidPayloadException when an object has a key twice
	 */
	static JsonNode readPayload(String text) {
		try {
			return STRICT.readTree(text);
		}
		catch (StreamReadException ex) {
			if (ex.getOriginalMessage() != null && ex.getOriginalMessage().startsWith("Duplicate ")) {
				throw new InvalidPayloadException("the payload has a key twice (" + ex.getOriginalMessage()
						+ "); which value counts depends on the reader, so the job is not run");
			}
			return null;
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
	 * Returns the text of a top-level field's value exactly as written (numbers, spacing
	 * and key order kept), or {@code null} when the text is not a JSON object or has no
	 * such field.
	 */
	static String rawValue(String json, String field) {
		int[] span = valueSpan(json, field);
		return (span != null) ? json.substring(span[0], span[1]) : null;
	}

	/**
	 * Sets a top-level field to a raw JSON value, keeping every other byte of the object:
	 * the value is replaced where the field is, else the field is added at the end.
	 */
	static String withField(String json, String field, String rawValue) {
		int[] span = valueSpan(json, field);
		if (span != null) {
			return json.substring(0, span[0]) + rawValue + json.substring(span[1]);
		}
		int end = json.lastIndexOf('}');
		boolean empty = json.substring(json.indexOf('{') + 1, end).isBlank();
		return json.substring(0, end) + (empty ? "" : ",") + quote(field) + ":" + rawValue + json.substring(end);
	}

	private static int[] valueSpan(String json, String field) {
		if (json == null) {
			return null;
		}
		try (JsonParser parser = MAPPER.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				int start = (int) parser.currentTokenLocation().getCharOffset();
				if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
					parser.skipChildren();
				}
				else {
					parser.finishToken();
				}
				if (name.equals(field)) {
					return new int[] { start, (int) parser.currentLocation().getCharOffset() };
				}
			}
			return null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Renders a payload for a JSON document: as is when it is a JSON object, else as a
	 * string.
	 */
	static String payloadValue(String payload) {
		if (payload == null) {
			return "null";
		}
		return isObject(payload) ? payload : quote(payload);
	}

}
