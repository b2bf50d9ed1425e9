package io.github.resquepool.job;

import java.lang.reflect.Method;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The SpEL key expressions of {@link ResqueLimit @ResqueLimit} and
 * {@link ResqueUnique @ResqueUnique}, read as Spring's {@code @Cacheable(key = ...)}
 * reads its own: {@code #p0}, {@code #a0}, {@code #root.args[0]}, {@code #root.method},
 * {@code #root.methodName}, and parameter names where the class is compiled with
 * {@code -parameters}.
 */
public final class JobKeys {

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	private JobKeys() {
	}

	/**
	 * Parses a key expression.
	 * @param source the expression
	 * @return the parsed expression
	 * @throws org.springframework.expression.ParseException when it does not parse
	 */
	static Expression parse(String source) {
		return PARSER.parseExpression(source);
	}

	/**
	 * Evaluates a key expression over a job's bound arguments.
	 * @param key the expression
	 * @param method the handler's method
	 * @param args the arguments as bound to the method's parameters
	 * @return the key's value
	 * @throws org.springframework.expression.EvaluationException when it fails on these
	 * arguments
	 */
	static Object evaluate(Expression key, Method method, Object[] args) {
		return key.getValue(new MethodBasedEvaluationContext(new Root(method, args), method, args, NAMES));
	}

	/**
	 * The root object of a key expression, as Spring's cache expressions have it.
	 */
	public static final class Root {

		private final Method method;

		private final Object[] args;

		Root(Method method, Object[] args) {
			this.method = method;
			this.args = args;
		}

		/**
		 * @return the handler method
		 */
		public Method getMethod() {
			return this.method;
		}

		/**
		 * @return the method's name
		 */
		public String getMethodName() {
			return this.method.getName();
		}

		/**
		 * @return the arguments as bound to the method's parameters
		 */
		public Object[] getArgs() {
			return this.args;
		}

	}

}
