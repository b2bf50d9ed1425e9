package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How handler methods and their parameters are named in messages, with simple type names:
 * {@code com.acme.Mailer#welcome(long, String)} and {@code List<Integer> ids}.
 */
final class MethodDescription {

	private MethodDescription() {
	}

	/**
	 * Names a method as declared by the user's class.
	 * @param userClass the user's class (not a proxy class)
	 * @param method the method
	 * @return the source, e.g. {@code com.acme.Mailer#welcome(long, String)}
	 */
	static String source(Class<?> userClass, Method method) {
		String parameters = Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", "));
		return userClass.getName() + "#" + method.getName() + "(" + parameters + ")";
	}

	/**
	 * Describes a parameter with its generic type and its name ({@code arg0} when the
	 * class was compiled without {@code -parameters}).
	 * @param parameter the parameter
	 * @return the description, e.g. {@code long userId}
	 */
	static String parameter(Parameter parameter) {
		return typeName(parameter.getParameterizedType()) + " " + parameter.getName();
	}

	private static String typeName(Type type) {
		if (type instanceof Class<?> classType) {
			return classType.getSimpleName();
		}
		if (type instanceof ParameterizedType parameterized) {
			String arguments = Arrays.stream(parameterized.getActualTypeArguments())
				.map(MethodDescription::typeName)
				.collect(Collectors.joining(", "));
			return typeName(parameterized.getRawType()) + "<" + arguments + ">";
		}
		if (type instanceof WildcardType wildcard) {
			if (wildcard.getLowerBounds().length > 0) {
				return "? super " + typeName(wildcard.getLowerBounds()[0]);
			}
			Type upper = wildcard.getUpperBounds()[0];
			return (upper == Object.class) ? "?" : "? extends " + typeName(upper);
		}
		return type.getTypeName();
	}

}
