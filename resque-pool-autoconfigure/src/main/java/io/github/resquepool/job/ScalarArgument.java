package io.github.resquepool.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import org.springframework.util.ClassUtils;

/**
 * Checks a JSON value against a parameter of a number or boolean type before Jackson sees
 * it, so the common mistakes get a message in the operator's words rather than Jackson's.
 */
final class ScalarArgument {

	private ScalarArgument() {
	}

	/**
	 * Tells why a value cannot be passed as a parameter of a scalar type.
	 * @param type the parameter type
	 * @param value the JSON value, {@code null} or a JSON null for null
	 * @return why not, or {@code null} when the value fits or the type is not a scalar
	 * one
	 */
	static String mismatch(Class<?> type, JsonNode value) {
		if (value == null || value.isNull()) {
			return type.isPrimitive() ? "a " + type.getName() + " cannot be null" : null;
		}
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		if (boxed == Long.class || boxed == Integer.class || boxed == Short.class || boxed == Byte.class
				|| boxed == BigInteger.class) {
			return wholeNumber(type, value);
		}
		if (boxed == Double.class || boxed == Float.class || boxed == BigDecimal.class) {
			return value.isNumber() ? null : "expected a number, got " + kind(value);
		}
		if (boxed == Boolean.class) {
			return value.isBoolean() ? null : "expected true or false, got " + kind(value);
		}
		return null;
	}

	private static String wholeNumber(Class<?> type, JsonNode value) {
		if (!value.isIntegralNumber()) {
			return "expected a whole number, got " + kind(value);
		}
		return fits(ClassUtils.resolvePrimitiveIfNecessary(type), value) ? null
				: "out of range for " + article(type.getSimpleName()) + " " + type.getSimpleName();
	}

	private static boolean fits(Class<?> boxed, JsonNode value) {
		if (boxed == Long.class) {
			return value.canConvertToLong();
		}
		if (boxed == Integer.class) {
			return value.canConvertToInt();
		}
		if (boxed == Short.class) {
			return value.canConvertToShort();
		}
		if (boxed == Byte.class) {
			return value.canConvertToInt() && value.intValue() >= Byte.MIN_VALUE && value.intValue() <= Byte.MAX_VALUE;
		}
		return true;
	}

	private static String kind(JsonNode value) {
		return switch (value.getNodeType()) {
			case STRING -> "a string";
			case NUMBER -> value.isIntegralNumber() ? "a whole number" : "a decimal number";
			case BOOLEAN -> "a boolean";
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
		};
	}

	private static String article(String word) {
		return ("aeiouAEIOU".indexOf(word.charAt(0)) >= 0) ? "an" : "a";
	}

}
