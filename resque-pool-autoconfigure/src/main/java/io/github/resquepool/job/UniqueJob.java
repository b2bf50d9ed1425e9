package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.expression.Expression;

/**
 * The {@link ResqueUnique @ResqueUnique} settings of one job class, and how its key is
 * made from a job's bound arguments.
 *
 * @param className the Resque class name
 * @param until until when the lock is held
 * @param ttl the longest the lock lives
 * @param method the handler method, as declared by the user's class
 * @param key the key expression, or {@code null} for all the arguments
 * @param source the method, for messages
 */
public record UniqueJob(String className, ResqueUnique.Until until, Duration ttl, Method method, Expression key,
		String source) {

	/**
	 * Makes the key of a job: the JSON of the key expression's value, or of the arguments
	 * (without a {@link JobContext}) when there is no expression.
	 * @param args the arguments as bound to the method's parameters
	 * @param mapper the application's mapper
	 * @return the key text
	 * @throws IllegalArgumentException when the expression cannot be evaluated, or its
	 * value cannot be written as JSON
	 */
	public String keyOf(Object[] args, JsonMapper mapper) {
		Object value;
		if (this.key == null) {
			List<Object> values = new ArrayList<>(args.length);
			for (Object arg : args) {
				if (!(arg instanceof JobContext)) {
					values.add(arg);
				}
			}
			value = values;
		}
		else {
			try {
				value = JobKeys.evaluate(this.key, this.method, args);
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("the @ResqueUnique key \"" + this.key.getExpressionString()
						+ "\" of " + this.source + " cannot be evaluated: " + ex.getMessage(), ex);
			}
		}
		try {
			return mapper.writeValueAsString(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"the @ResqueUnique key of " + this.source + " cannot be written as JSON: " + ex.getMessage(), ex);
		}
	}

}
