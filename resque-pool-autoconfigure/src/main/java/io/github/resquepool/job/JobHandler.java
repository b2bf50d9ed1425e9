package io.github.resquepool.job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * One {@link ResqueJob @ResqueJob} method bound to its bean: the handler of one Resque
 * class name. Thread-safe; workers share it.
 *
 * @see JobRegistry
 */
public final class JobHandler {

	private final String name;

	private final Object bean;

	private final Method method;

	private final Method invocable;

	private final Object target;

	private final Duration timeout;

	private final String source;

	private final ArgumentBinder binder;

	private final RetryPolicy retryPolicy;

	private final List<JobLimit> limits;

	/**
	 * Creates a handler, checking that the method can be invoked.
	 * @param name the Resque class name it handles
	 * @param bean the bean (possibly a proxy) to invoke the method on; may be
	 * {@code null} for a static method
	 * @param method the annotated method, as declared by the user's class
	 * @param timeout how long one run may take, or {@code null} for the pool's default
	 * @param mapper the application's mapper, asked for once, when arguments are first
	 * bound
	 * @throws InvalidResqueJobException when the method cannot be a handler
	 */
	public JobHandler(String name, Object bean, Method method, Duration timeout, Supplier<JsonMapper> mapper) {
		this(name, bean, method, timeout, RetryPolicy.NONE, mapper);
	}

	/**
	 * Creates a handler with a retry policy, checking that the method can be invoked.
	 * @param name the Resque class name it handles
	 * @param bean the bean (possibly a proxy) to invoke the method on; may be
	 * {@code null} for a static method
	 * @param method the annotated method, as declared by the user's class
	 * @param timeout how long one run may take, or {@code null} for the pool's default
	 * @param retryPolicy how a failed run is tried again
	 * @param mapper the application's mapper, asked for once, when arguments are first
	 * bound
	 * @throws InvalidResqueJobException when the method cannot be a handler
	 */
	public JobHandler(String name, Object bean, Method method, Duration timeout, RetryPolicy retryPolicy,
			Supplier<JsonMapper> mapper) {
		this(name, bean, method, timeout, retryPolicy, List.of(), mapper);
	}

	/**
	 * Creates a handler with a retry policy and fleet-wide limits, checking that the
	 * method can be invoked.
	 * @param name the Resque class name it handles
	 * @param bean the bean (possibly a proxy) to invoke the method on; may be
	 * {@code null} for a static method
	 * @param method the annotated method, as declared by the user's class
	 * @param timeout how long one run may take, or {@code null} for the pool's default
	 * @param retryPolicy how a failed run is tried again
	 * @param limits its {@link ResqueLimit @ResqueLimit}s, in the order declared
	 * @param mapper the application's mapper, asked for once, when arguments are first
	 * bound
	 * @throws InvalidResqueJobException when the method cannot be a handler
	 */
	public JobHandler(String name, Object bean, Method method, Duration timeout, RetryPolicy retryPolicy,
			List<JobLimit> limits, Supplier<JsonMapper> mapper) {
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.notNull(limits, "'limits' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		boolean isStatic = Modifier.isStatic(method.getModifiers());
		this.source = MethodDescription.source(userClass(bean, method), method);
		check(StringUtils.hasText(name), "its Resque class name is blank");
		check(!Modifier.isPrivate(method.getModifiers()),
				"it is private, so it cannot be invoked (also not through a proxy)");
		check(isStatic || bean != null, "it is not static and has no bean to be invoked on");
		check(isStatic || !Modifier.isFinal(method.getModifiers()) || !AopUtils.isCglibProxy(bean),
				"it is final, so the bean's proxy cannot pass calls on to the bean");
		check(Arrays.stream(method.getParameterTypes()).filter(JobContext.class::equals).count() <= 1,
				"it declares more than one JobContext parameter");
		check(timeout == null || !timeout.isNegative(), "its timeout " + timeout + " is negative");
		this.name = name;
		this.bean = bean;
		this.method = method;
		this.invocable = invocable(bean, method, isStatic);
		this.target = isStatic ? null : bean;
		this.timeout = timeout;
		this.retryPolicy = retryPolicy;
		this.limits = List.copyOf(limits);
		this.binder = new ArgumentBinder(name, method, mapper);
	}

	private static Class<?> userClass(Object bean, Method method) {
		return (bean != null) ? ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(bean))
				: method.getDeclaringClass();
	}

	private void check(boolean valid, String reason) {
		if (!valid) {
			throw new InvalidResqueJobException(this.source, reason);
		}
	}

	private Method invocable(Object bean, Method method, boolean isStatic) {
		try {
			Method invocable = isStatic ? method : AopUtils.selectInvocableMethod(method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			return invocable;
		}
		catch (RuntimeException ex) {
			throw new InvalidResqueJobException(this.source, ex.getMessage(), ex);
		}
	}

	/**
	 * Returns the Resque class name this handler handles.
	 * @return the class name, e.g. {@code Mailers::Welcome}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the bean the method is invoked on.
	 * @return the bean, possibly a proxy, or {@code null} for a static method without one
	 */
	public Object bean() {
		return this.bean;
	}

	/**
	 * Returns the annotated method, as declared by the user's class.
	 * @return the method
	 */
	public Method method() {
		return this.method;
	}

	/**
	 * Returns how long one run of the job may take.
	 * @return the timeout, or {@code null} when the annotation gave none
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Returns the handler's fleet-wide limits.
	 * @return its {@link ResqueLimit @ResqueLimit}s, empty for none
	 */
	public List<JobLimit> limits() {
		return this.limits;
	}

	/**
	 * Returns how a failed run is tried again.
	 * @return the policy, {@link RetryPolicy#NONE} for no retries
	 */
	public RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Returns where the handler is declared, for messages.
	 * @return the source, e.g. {@code com.acme.Mailer#welcome(long, String)}
	 */
	public String source() {
		return this.source;
	}

	/**
	 * Returns the number of positional arguments the handler takes.
	 * @return the count, without a {@link JobContext} parameter
	 */
	public int argumentCount() {
		return this.binder.count();
	}

	/**
	 * Binds a payload's arguments by position to the method's parameters, through the
	 * application's {@code JsonMapper} without lossy coercions.
	 * @param args the payload's arguments, {@code null} for none
	 * @param context the job's context, passed to a {@link JobContext} parameter
	 * @return the arguments for {@link #invoke(Object[])}
	 * @throws JobArgumentException when the count differs or a value does not fit its
	 * parameter
	 */
	public Object[] bindArguments(ArrayNode args, JobContext context) {
		return this.binder.bind(args, context);
	}

	/**
	 * Invokes the method on the calling thread.
	 * @param arguments the arguments from {@link #bindArguments(ArrayNode, JobContext)}
	 * @return what the method returned, {@code null} for {@code void}
	 * @throws Throwable what the method threw, unwrapped
	 */
	public Object invoke(Object[] arguments) throws Throwable {
		try {
			return this.invocable.invoke(this.target, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	@Override
	public String toString() {
		return this.name + " -> " + this.source;
	}

}
