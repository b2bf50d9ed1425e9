package io.github.resquepool.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of a stored override:
 * {@code {"seq":7,"kind":"pause","pool":null,"group":"mail",
 * "count":null,"by":"alice","at":"2026-12-01T10:00:00Z"}}. An entry that cannot be read
 * (not JSON, a field missing, a count that is no number of workers) is skipped and its
 * reader told why, so a hand-edited hash never stops a pool.
 */
final class FleetOverrideJson {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FleetOverrideJson() {
	}

	/**
	 * @param override an override (its {@code seq} is left out: Redis assigns it)
	 * @return its JSON without {@code seq}
	 */
	static String write(FleetOverride override) {
		ObjectNode node = JSON.createObjectNode();
		node.put("kind", override.kind().name().toLowerCase(java.util.Locale.ROOT));
		node.put("pool", override.scope().pool());
		node.put("group", override.scope().group());
		node.put("count", override.count());
		node.put("by", override.by());
		node.put("at", override.at().toString());
		return JSON.writeValueAsString(node);
	}

	/**
	 * @param version the fleet's version
	 * @param raw the stored JSON by hash field
	 * @param unreadable told the field and the reason of each entry that is skipped
	 * @return the overrides that could be read
	 */
	static FleetOverrides read(long version, Map<String, String> raw, BiConsumer<String, String> unreadable) {
		List<FleetOverride> overrides = new ArrayList<>();
		for (Map.Entry<String, String> entry : raw.entrySet()) {
			try {
				overrides.add(read(entry.getValue()));
			}
			catch (RuntimeException ex) {
				unreadable.accept(entry.getKey(), ex.getMessage());
			}
		}
		return new FleetOverrides(version, overrides);
	}

	private static FleetOverride read(String json) {
		JsonNode node = JSON.readTree(json);
		FleetOverride.Kind kind = FleetOverride.Kind
			.valueOf(required(node, "kind").asString().toUpperCase(java.util.Locale.ROOT));
		return new FleetOverride(required(node, "seq").asLong(), kind,
				new FleetScope(text(node, "pool"), text(node, "group")), count(node.get("count")), text(node, "by"),
				Instant.parse(required(node, "at").asString()));
	}

	/**
	 * A count is a whole number of workers that fits an {@code int}: Jackson's
	 * {@code asInt()} would wrap a larger one and truncate a fraction.
	 */
	private static Integer count(JsonNode count) {
		if (count == null || count.isNull()) {
			return null;
		}
		if (!count.isIntegralNumber() || !count.canConvertToInt() || count.intValue() < 0) {
			throw new IllegalArgumentException("the count " + count + " is not a number of workers");
		}
		return count.intValue();
	}

	private static JsonNode required(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			throw new IllegalArgumentException("\"" + field + "\" is missing");
		}
		return value;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

}
