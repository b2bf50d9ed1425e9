package io.github.resquepool.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.Assert;

/**
 * ActiveJob's argument format ({@code activejob/lib/active_job/arguments.rb} and its
 * {@code serializers/}) in both directions.
 * <p>
 * <b>Reading</b> ({@link #deserialize}) turns what Rails wrote into plain JSON that binds
 * to a handler's parameters as a plain Resque job's {@code args} do:
 * <ul>
 * <li>hashes lose their markers {@code _aj_symbol_keys}, {@code _aj_ruby2_keywords}
 * (keyword arguments arrive as one map, in their position) and
 * {@code _aj_hash_with_indifferent_access};</li>
 * <li>{@code {"_aj_globalid":"gid://app/User/42"}} becomes the string
 * {@code gid://app/User/42}, which binds to {@link GlobalId} or {@code String};</li>
 * <li>{@code _aj_serialized} objects of ActiveJob's own serializers become: Symbol and
 * Module their name; Time, TimeWithZone and DateTime their ISO-8601 text with offset
 * (binds to {@code OffsetDateTime}, {@code ZonedDateTime}, {@code Instant}); Date
 * {@code 2026-01-02} ({@code LocalDate}); Duration an ISO-8601 duration of its seconds
 * such as {@code PT5M} ({@code java.time.Duration}); BigDecimal (Rails 7.1+) an exact
 * decimal number; Range an object {@code {"begin":..,"end":..,"exclude_end":..}}. Any
 * other serializer fails the job with an {@link UnsupportedActiveJobArgumentException}
 * naming it.</li>
 * </ul>
 * Rails 6.1 and 7.0 write a BigDecimal as a plain JSON string: declare such a parameter
 * as {@code String}.
 * <p>
 * <b>Writing</b> ({@link #serialize}) gives what Rails would write for the nearest Ruby
 * value: {@code null}, booleans, whole numbers, floats and strings as they are; a
 * {@code BigDecimal} as its text (as Rails 6.1 does); a {@link Map} as a hash with
 * <em>symbol keys</em> (every key listed in {@code _aj_symbol_keys}, at every level),
 * since that is what Ruby code usually reads ({@code options[:currency]});
 * {@link #stringKeys(Map)} for a hash with string keys and {@link #keywords(Map)} for
 * keyword arguments; a collection or array as an array; a {@link GlobalId} as
 * {@code _aj_globalid}; {@link #symbol(String)} as a Symbol; {@link Instant} and
 * {@link OffsetDateTime} as a Time, {@link ZonedDateTime} as a TimeWithZone,
 * {@link LocalDate} as a Date, {@link Duration} as a Duration of seconds; an enum as its
 * name; any other object as the JSON object the application's mapper writes for it, as a
 * symbol-keyed hash. Keys are strings; Rails' reserved keys ({@code _aj_globalid} and the
 * others) are refused, as Rails refuses them.
 */
public final class ActiveJobArguments {

	static final String SYMBOL_KEYS = "_aj_symbol_keys";

	static final String RUBY2_KEYWORDS = "_aj_ruby2_keywords";

	static final String INDIFFERENT_ACCESS = "_aj_hash_with_indifferent_access";

	static final String GLOBALID = "_aj_globalid";

	static final String SERIALIZED = "_aj_serialized";

	private static final Set<String> RESERVED = Set.of(SYMBOL_KEYS, RUBY2_KEYWORDS, INDIFFERENT_ACCESS, GLOBALID,
			SERIALIZED);

	private static final String SERIALIZERS = "ActiveJob::Serializers::";

	/** The largest decimal exponent and scale a BigDecimal argument may have. */
	private static final int MAX_DECIMAL_EXPONENT = 1000;

	private static final DateTimeFormatter ISO_9 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private ActiveJobArguments() {
	}

	// ---------------------------------------------------------------- reading

	/**
	 * Turns ActiveJob's serialized arguments into plain JSON values.
	 * @param jobClass the Rails job class, for messages
	 * @param arguments the job hash's {@code arguments}
	 * @return the plain values, one per argument
	 * @throws UnsupportedActiveJobArgumentException for an object of a serializer Java
	 * does not know
	 */
	public static ArrayNode deserialize(String jobClass, ArrayNode arguments) {
		ArrayNode plain = nodes.arrayNode();
		for (int index = 0; index < arguments.size(); index++) {
			plain.add(read(arguments.get(index), new Where(jobClass, index)));
		}
		return plain;
	}

	private static JsonNode read(JsonNode value, Where where) {
		if (value.isArray()) {
			ArrayNode array = nodes.arrayNode();
			for (int index = 0; index < value.size(); index++) {
				array.add(read(value.get(index), where.index(index)));
			}
			return array;
		}
		if (!value.isObject()) {
			return value;
		}
		if (value.size() == 1 && value.has(GLOBALID) && value.get(GLOBALID).isString()) {
			return value.get(GLOBALID);
		}
		JsonNode serializer = value.get(SERIALIZED);
		if (serializer != null && serializer.isString()) {
			return readSerialized(serializer.asString(), value, where);
		}
		ObjectNode object = nodes.objectNode();
		for (Map.Entry<String, JsonNode> property : value.properties()) {
			if (!RESERVED.contains(property.getKey())) {
				object.set(property.getKey(), read(property.getValue(), where.key(property.getKey())));
			}
		}
		return object;
	}

	/**
	 * Refuses a decimal whose exponent lies beyond {@value #MAX_DECIMAL_EXPONENT}: such a
	 * value is a few bytes of payload, but printing it or converting it to an integer
	 * takes minutes and gigabytes.
	 */
	private static BigDecimal bounded(BigDecimal decimal, Where where, String serializer) {
		long exponent = (long) decimal.precision() - decimal.scale() - 1;
		if (Math.abs(exponent) > MAX_DECIMAL_EXPONENT || Math.abs((long) decimal.scale()) > MAX_DECIMAL_EXPONENT) {
			throw new JobArgumentException(
					where + " is a " + serializer + " value with the decimal exponent " + exponent + " and scale "
							+ decimal.scale() + "; at most " + MAX_DECIMAL_EXPONENT + " either way is accepted");
		}
		return decimal;
	}

	private static JsonNode readSerialized(String serializer, JsonNode value, Where where) {
		JsonNode inner = value.get("value");
		switch (serializer) {
			case SERIALIZERS + "SymbolSerializer", SERIALIZERS + "ModuleSerializer", SERIALIZERS + "TimeSerializer",
					SERIALIZERS + "TimeWithZoneSerializer", SERIALIZERS + "DateTimeSerializer",
					SERIALIZERS + "DateSerializer" -> {
				if (inner != null && inner.isString()) {
					return inner;
				}
			}
			case SERIALIZERS + "DurationSerializer" -> {
				if (inner != null && inner.isNumber()) {
					BigDecimal seconds = inner.decimalValue();
					return nodes.stringNode(Duration
						.ofSeconds(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue())
						.toString());
				}
			}
			case SERIALIZERS + "BigDecimalSerializer" -> {
				if (inner != null && inner.isString()) {
					BigDecimal decimal;
					try {
						decimal = new BigDecimal(inner.asString());
					}
					catch (NumberFormatException ex) {
						decimal = null;
					}
					if (decimal != null) {
						return nodes.numberNode(bounded(decimal, where, serializer));
					}
				}
			}
			case SERIALIZERS + "RangeSerializer" -> {
				ObjectNode range = nodes.objectNode();
				range.set("begin", read(value.path("begin"), where.key("begin")));
				range.set("end", read(value.path("end"), where.key("end")));
				range.set("exclude_end", value.path("exclude_end"));
				return range;
			}
			default -> throw new UnsupportedActiveJobArgumentException(
					where + " is a Ruby object written by the ActiveJob serializer " + JsonText.quote(serializer)
							+ ", which Java cannot read: " + JsonText.of(value)
							+ ". Pass plain values (numbers, strings, hashes, arrays) or a GlobalID from Rails instead",
					serializer);
		}
		throw new JobArgumentException(where + " is a malformed " + serializer + " object: " + JsonText.of(value));
	}

	private record Where(String jobClass, int argument, String path) {

		Where(String jobClass, int argument) {
			this(jobClass, argument, "");
		}

		Where index(int index) {
			return new Where(this.jobClass, this.argument, this.path + "[" + index + "]");
		}

		Where key(String key) {
			return new Where(this.jobClass, this.argument, this.path + "." + key);
		}

		@Override
		public String toString() {
			return this.jobClass + " argument " + (this.argument + 1) + (this.path.isEmpty() ? "" : " at " + this.path);
		}

	}

	// ---------------------------------------------------------------- writing

	/**
	 * A Ruby Symbol, for {@link #serialize}.
	 * @param name the symbol's name, without the colon
	 * @return the value to pass
	 */
	public static Object symbol(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return new RubySymbol(name);
	}

	/**
	 * A hash with string keys ({@code {"a" => 1}} in Ruby), for {@link #serialize}:
	 * written with an empty {@code _aj_symbol_keys}; nested maps still get symbol keys.
	 * @param map the hash
	 * @return the value to pass
	 */
	public static Object stringKeys(Map<String, ?> map) {
		Assert.notNull(map, "'map' must not be null");
		return new Keyed(map, false);
	}

	/**
	 * Keyword arguments ({@code perform(id, currency: "EUR")} in Ruby), for
	 * {@link #serialize}: written with {@code _aj_ruby2_keywords} as Rails writes them,
	 * so the job's {@code perform} receives them as keywords. Pass it as the last
	 * argument.
	 * @param keywords the keyword arguments
	 * @return the value to pass
	 */
	public static Object keywords(Map<String, ?> keywords) {
		Assert.notNull(keywords, "'keywords' must not be null");
		return new Keyed(keywords, true);
	}

	/**
	 * Writes Java values in ActiveJob's argument format (see the class description).
	 * @param mapper the application's mapper, for objects other than the types listed
	 * @param args the arguments
	 * @return the serialized arguments
	 * @throws IllegalArgumentException for a value Rails could not read back (NaN, a
	 * {@code LocalDateTime}, a reserved key)
	 */
	public static ArrayNode serialize(JsonMapper mapper, Object... args) {
		ArrayNode array = nodes.arrayNode();
		for (Object arg : (args != null) ? args : new Object[] { null }) {
			array.add(write(mapper, arg));
		}
		return array;
	}

	private static JsonNode write(JsonMapper mapper, Object value) {
		if (value == null) {
			return nodes.nullNode();
		}
		if (value instanceof String || value instanceof Character) {
			return nodes.stringNode(value.toString());
		}
		if (value instanceof Boolean bool) {
			return nodes.booleanNode(bool);
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return nodes.numberNode(((Number) value).longValue());
		}
		if (value instanceof BigInteger big) {
			return nodes.numberNode(big);
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (Double.isNaN(number) || Double.isInfinite(number)) {
				throw new IllegalArgumentException(number + " cannot be passed to Rails (it arrives as nil)");
			}
			return nodes.numberNode(number);
		}
		if (value instanceof BigDecimal decimal) {
			return nodes.stringNode(decimal.toPlainString());
		}
		if (value instanceof GlobalId gid) {
			ObjectNode object = nodes.objectNode();
			object.put(GLOBALID, gid.toString());
			return object;
		}
		if (value instanceof RubySymbol symbol) {
			return serialized("SymbolSerializer", nodes.stringNode(symbol.name()));
		}
		if (value instanceof Keyed keyed) {
			return hash(mapper, keyed.map(), keyed.keywords() ? RUBY2_KEYWORDS : SYMBOL_KEYS, keyed.keywords());
		}
		if (value instanceof Map<?, ?> map) {
			return hash(mapper, map, SYMBOL_KEYS, true);
		}
		if (value instanceof Collection<?> collection) {
			ArrayNode array = nodes.arrayNode();
			collection.forEach((element) -> array.add(write(mapper, element)));
			return array;
		}
		if (value instanceof Object[] elements) {
			ArrayNode array = nodes.arrayNode();
			for (Object element : elements) {
				array.add(write(mapper, element));
			}
			return array;
		}
		if (value instanceof Instant instant) {
			return serialized("TimeSerializer", nodes.stringNode(ISO_9.format(instant.atOffset(ZoneOffset.UTC))));
		}
		if (value instanceof OffsetDateTime time) {
			return serialized("TimeSerializer", nodes.stringNode(ISO_9.format(time)));
		}
		if (value instanceof ZonedDateTime time) {
			ObjectNode object = serialized("TimeWithZoneSerializer", nodes.stringNode(ISO_9.format(time)));
			if (!(time.getZone() instanceof ZoneOffset)) {
				// Rails 7.2+ reads the zone; older versions ignore the key and keep the
				// offset.
				object.put("time_zone", time.getZone().getId());
			}
			return object;
		}
		if (value instanceof LocalDate date) {
			return serialized("DateSerializer", nodes.stringNode(date.toString()));
		}
		if (value instanceof Duration duration) {
			return duration(duration);
		}
		if (value instanceof Enum<?> constant) {
			return nodes.stringNode(constant.name());
		}
		if (value instanceof Temporal || value instanceof ZoneId) {
			throw new IllegalArgumentException("a " + value.getClass().getSimpleName()
					+ " has no Rails equivalent; pass an Instant, OffsetDateTime, ZonedDateTime or LocalDate");
		}
		return plain(mapper.valueToTree(value));
	}

	private static ObjectNode hash(JsonMapper mapper, Map<?, ?> map, String marker, boolean listKeys) {
		ObjectNode object = nodes.objectNode();
		ArrayNode keys = nodes.arrayNode();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String key = key(entry.getKey());
			object.set(key, write(mapper, entry.getValue()));
			if (listKeys) {
				keys.add(key);
			}
		}
		object.set(marker, keys);
		return object;
	}

	private static String key(Object key) {
		if (!(key instanceof CharSequence) && !(key instanceof Enum<?>)) {
			throw new IllegalArgumentException("Rails hash keys are strings or symbols, not " + key);
		}
		String text = (key instanceof Enum<?> constant) ? constant.name() : key.toString();
		if (RESERVED.contains(text)) {
			throw new IllegalArgumentException("'" + text + "' is a key that ActiveJob reserves");
		}
		return text;
	}

	/** A tree the mapper wrote for an object: objects become symbol-keyed hashes. */
	private static JsonNode plain(JsonNode node) {
		if (node.isArray()) {
			ArrayNode array = nodes.arrayNode();
			node.forEach((element) -> array.add(plain(element)));
			return array;
		}
		if (node.isObject()) {
			ObjectNode object = nodes.objectNode();
			ArrayNode keys = nodes.arrayNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				String key = key(property.getKey());
				object.set(key, plain(property.getValue()));
				keys.add(key);
			}
			object.set(SYMBOL_KEYS, keys);
			return object;
		}
		if (node.isNumber() && !node.isIntegralNumber() && node.isBigDecimal()) {
			return nodes.stringNode(node.decimalValue().toPlainString());
		}
		return node;
	}

	private static ObjectNode serialized(String serializer, JsonNode value) {
		ObjectNode object = nodes.objectNode();
		object.put(SERIALIZED, SERIALIZERS + serializer);
		object.set("value", value);
		return object;
	}

	private static JsonNode duration(Duration duration) {
		JsonNode seconds = (duration.getNano() == 0) ? nodes.numberNode(duration.getSeconds()) : nodes.numberNode(
				new BigDecimal(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9)).doubleValue());
		ObjectNode object = serialized("DurationSerializer", seconds);
		ArrayNode part = nodes.arrayNode();
		part.add(serialized("SymbolSerializer", nodes.stringNode("seconds")));
		part.add(seconds);
		ArrayNode parts = nodes.arrayNode();
		if (!duration.isZero()) {
			parts.add(part);
		}
		object.set("parts", parts);
		return object;
	}

	/** A Ruby Symbol argument. */
	private record RubySymbol(String name) {
	}

	/** A hash with string keys, or keyword arguments. */
	private record Keyed(Map<String, ?> map, boolean keywords) {
	}

}
