package io.github.resquepool.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of a stored override:
 * {@code {"seq":7,"kind":"pause","pool":null,"group":"mail",
 * "count":null,"by":"alice","at":"2026-12-01T10:00:00Z"}}. An entry that cannot be read
 * is skipped, so a hand-edited hash never stops a pool.
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
	 * @return the overrides that could be read
	 */
	static FleetOverrides read(long version, Map<String, String> raw) {
		List<FleetOverride> overrides = new ArrayList<>();
		for (String json : raw.values()) {
			try {
				JsonNode node = JSON.readTree(json);
				FleetOverride.Kind kind = FleetOverride.Kind
					.valueOf(node.get("kind").asString().toUpperCase(java.util.Locale.ROOT));
				overrides.add(new FleetOverride(node.get("seq").asLong(), kind,
						new FleetScope(text(node, "pool"), text(node, "group")),
						(node.hasNonNull("count")) ? node.get("count").asInt() : null, text(node, "by"),
						Instant.parse(node.get("at").asString())));
			}
			catch (RuntimeException ex) {
				// an entry this version cannot read: skipped
			}
		}
		return new FleetOverrides(version, overrides);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

}
