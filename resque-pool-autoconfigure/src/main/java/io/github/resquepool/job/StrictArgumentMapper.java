package io.github.resquepool.job;

import java.util.Map;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * The application's {@link JsonMapper} (its modules, naming strategy and other settings
 * kept) with the coercions that lose or invent information turned off: no {@code null}
 * into a primitive, no string into a number or boolean, no fraction into a whole number,
 * no number into a boolean. Job arguments come from other programs, so a value of the
 * wrong type fails the job instead of running it with a guess.
 */
final class StrictArgumentMapper {

	private static final Map<JsonMapper, JsonMapper> cache = new ConcurrentReferenceHashMap<>();

	private StrictArgumentMapper() {
	}

	/**
	 * Returns the strict variant of a mapper, derived once per mapper.
	 * @param mapper the application's mapper
	 * @return the strict mapper
	 */
	static JsonMapper of(JsonMapper mapper) {
		return cache.computeIfAbsent(mapper, StrictArgumentMapper::derive);
	}

	private static JsonMapper derive(JsonMapper mapper) {
		return mapper.rebuild()
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Integer,
					(config) -> fail(config, CoercionInputShape.Float, CoercionInputShape.String,
							CoercionInputShape.EmptyString, CoercionInputShape.Boolean))
			.withCoercionConfig(LogicalType.Float,
					(config) -> fail(config, CoercionInputShape.String, CoercionInputShape.EmptyString,
							CoercionInputShape.Boolean))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> fail(config, CoercionInputShape.Integer, CoercionInputShape.Float,
							CoercionInputShape.String, CoercionInputShape.EmptyString))
			.build();
	}

	private static void fail(MutableCoercionConfig config, CoercionInputShape... shapes) {
		for (CoercionInputShape shape : shapes) {
			config.setCoercion(shape, CoercionAction.Fail);
		}
	}

}
