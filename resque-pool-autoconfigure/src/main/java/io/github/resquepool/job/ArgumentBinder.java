package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.util.function.SingletonSupplier;

/**
 * Binds a payload's {@code args} by position to a handler method's parameters, passing
 * the {@link JobContext} to the parameter of that type, wherever it is.
 */
final class ArgumentBinder {

	private static final Pattern COERCION_HINT = Pattern.compile("\\s*\\(but \\w+ if coercion[^)]*\\)");

	private final String jobName;

	private final Parameter[] parameters;

	private final Class<?>[] types;

	private final Type[] genericTypes;

	private final int[] positional;

	private final int contextIndex;

	private final SingletonSupplier<JsonMapper> mapper;

	/**
	 * Creates a binder.
	 * @param jobName the Resque class name, for messages
	 * @param method the user's method, whose parameter names and generic types are read
	 * @param mapper the application's mapper, asked for once, when arguments are first
	 * bound
	 */
	ArgumentBinder(String jobName, Method method, Supplier<JsonMapper> mapper) {
		this.jobName = jobName;
		this.parameters = method.getParameters();
		this.types = method.getParameterTypes();
		this.genericTypes = method.getGenericParameterTypes();
		this.positional = IntStream.range(0, this.types.length)
			.filter((index) -> this.types[index] != JobContext.class)
			.toArray();
		this.contextIndex = IntStream.range(0, this.types.length)
			.filter((index) -> this.types[index] == JobContext.class)
			.findFirst()
			.orElse(-1);
		this.mapper = SingletonSupplier.of(() -> StrictArgumentMapper.of(mapper.get()));
	}

	/**
	 * Returns the number of positional arguments the method takes.
	 * @return the count, without the {@link JobContext}
	 */
	int count() {
		return this.positional.length;
	}

	/**
	 * Binds the arguments.
	 * @param args the payload's arguments, {@code null} for none
	 * @param context the job's context
	 * @return the arguments for the method, in the method's parameter order
	 * @throws JobArgumentException when the count or a value does not fit
	 */
	Object[] bind(ArrayNode args, JobContext context) {
		int given = (args != null) ? args.size() : 0;
		if (given != this.positional.length) {
			throw new JobArgumentException(this.jobName + " takes " + expected() + " but the payload has " + given);
		}
		Object[] arguments = new Object[this.types.length];
		if (this.contextIndex >= 0) {
			arguments[this.contextIndex] = context;
		}
		if (given > 0) {
			JsonMapper mapper = this.mapper.obtain();
			for (int position = 0; position < given; position++) {
				arguments[this.positional[position]] = bind(mapper, position, args.get(position));
			}
		}
		return arguments;
	}

	private Object bind(JsonMapper mapper, int position, JsonNode value) {
		int index = this.positional[position];
		String mismatch = ScalarArgument.mismatch(this.types[index], value);
		if (mismatch != null) {
			throw failure(position, value, mismatch, null);
		}
		try {
			JavaType type = mapper.getTypeFactory().constructType(this.genericTypes[index]);
			return mapper.treeToValue(value, type);
		}
		catch (JacksonException ex) {
			throw failure(position, value, reason(ex), ex);
		}
	}

	private JobArgumentException failure(int position, JsonNode value, String reason, Throwable cause) {
		String parameter = MethodDescription.parameter(this.parameters[this.positional[position]]);
		return new JobArgumentException(this.jobName + " argument " + (position + 1) + " (" + parameter
				+ ") cannot be bound from " + JsonText.of(value) + ": " + reason, cause);
	}

	private String reason(JacksonException ex) {
		String message = String.valueOf(ex.getOriginalMessage()).lines().findFirst().orElse("");
		message = COERCION_HINT.matcher(message).replaceAll("");
		String path = JsonText.path(ex.getPath());
		return path.isEmpty() ? message : "at " + path + ": " + message;
	}

	private String expected() {
		if (this.positional.length == 0) {
			return "no arguments";
		}
		String described = Arrays.stream(this.positional)
			.mapToObj((index) -> MethodDescription.parameter(this.parameters[index]))
			.collect(Collectors.joining(", "));
		String noun = (this.positional.length == 1) ? " argument (" : " arguments (";
		return this.positional.length + noun + described + ")";
	}

}
