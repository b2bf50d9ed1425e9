package io.github.resquepool.job;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link ResqueJob @ResqueJob} methods of every bean and registers them in a
 * {@link JobRegistry}, as Spring's {@code ScheduledAnnotationBeanPostProcessor} does for
 * {@code @Scheduled}. An invalid or duplicate handler fails the creation of its bean, so
 * the application does not start.
 * <p>
 * It is not {@code Ordered}, so it runs after the post-processors that create proxies and
 * binds each handler to the proxy (so {@code @Transactional} and similar apply). Declare
 * it as a {@code static} bean.
 */
public final class ResqueJobMethodProcessor implements BeanPostProcessor {

	private static final Set<Class<? extends Annotation>> LIMIT_ANNOTATIONS = Set.of(ResqueLimit.class,
			ResqueLimits.class);

	private final JobRegistry registry;

	private final Supplier<JsonMapper> mapper;

	private final Set<Class<?>> classesWithoutJobs = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a processor.
	 * @param registry the registry to fill
	 * @param mapper the application's mapper, asked for by each handler when it first
	 * binds arguments
	 */
	public ResqueJobMethodProcessor(JobRegistry registry, Supplier<JsonMapper> mapper) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		this.registry = registry;
		this.mapper = mapper;
	}

	/**
	 * Registers the bean's {@link ResqueJob @ResqueJob} methods, if it has any.
	 * @param bean the bean, possibly a proxy
	 * @param beanName the bean's name
	 * @return the bean, unchanged
	 * @throws InvalidResqueJobException when a method cannot be a handler
	 * @throws DuplicateResqueJobException when a method claims a name that already has a
	 * handler
	 */
	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean) {
			return bean;
		}
		Class<?> userClass = ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(bean));
		if (this.classesWithoutJobs.contains(userClass)
				|| (!AnnotationUtils.isCandidateClass(userClass, ResqueJob.class)
						&& !AnnotationUtils.isCandidateClass(userClass, LIMIT_ANNOTATIONS))) {
			return bean;
		}
		Map<Method, ResqueJob> methods = MethodIntrospector.selectMethods(userClass,
				(MethodIntrospector.MetadataLookup<ResqueJob>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ResqueJob.class));
		MethodIntrospector.selectMethods(userClass, (MethodIntrospector.MetadataLookup<Boolean>) this::limited)
			.keySet()
			.stream()
			.filter((method) -> !methods.containsKey(method))
			.findFirst()
			.ifPresent((method) -> {
				throw new InvalidResqueJobException(MethodDescription.source(userClass, method),
						"it has @ResqueLimit but no @ResqueJob: a limit applies to a job handler");
			});
		if (methods.isEmpty()) {
			this.classesWithoutJobs.add(userClass);
			return bean;
		}
		methods.forEach((method, annotation) -> this.registry.register(handler(bean, userClass, method, annotation)));
		return bean;
	}

	private Boolean limited(Method method) {
		boolean limited = AnnotatedElementUtils.hasAnnotation(method, ResqueLimit.class)
				|| AnnotatedElementUtils.hasAnnotation(method, ResqueLimits.class);
		return limited ? Boolean.TRUE : null;
	}

	private JobHandler handler(Object bean, Class<?> userClass, Method method, ResqueJob annotation) {
		Duration timeout = timeout(annotation.timeout(), userClass, method);
		return new JobHandler(annotation.value(), bean, method, timeout, retryPolicy(annotation, userClass, method),
				limits(userClass, method), this.mapper);
	}

	private List<JobLimit> limits(Class<?> userClass, Method method) {
		List<JobLimit> limits = new ArrayList<>();
		for (ResqueLimit limit : AnnotatedElementUtils.findMergedRepeatableAnnotations(method, ResqueLimit.class,
				ResqueLimits.class)) {
			Duration per = duration("per", limit.per(), userClass, method);
			try {
				limits.add(new JobLimit(limits.size(), limit.concurrency(), limit.rate(), per, limit.key()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidResqueJobException(MethodDescription.source(userClass, method),
						"its @ResqueLimit number " + (limits.size() + 1) + " is invalid: " + ex.getMessage(), ex);
			}
		}
		return limits;
	}

	private RetryPolicy retryPolicy(ResqueJob annotation, Class<?> userClass, Method method) {
		if (annotation.maxRetries() == 0) {
			return RetryPolicy.NONE;
		}
		Duration delay = duration("retryDelay", annotation.retryDelay(), userClass, method);
		Duration jitter = annotation.retryJitter().isEmpty() ? delay.dividedBy(2)
				: duration("retryJitter", annotation.retryJitter(), userClass, method);
		try {
			return new RetryPolicy(annotation.maxRetries(), delay, annotation.retryMultiplier(),
					duration("retryMaxDelay", annotation.retryMaxDelay(), userClass, method), jitter);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidResqueJobException(MethodDescription.source(userClass, method), ex.getMessage(), ex);
		}
	}

	private Duration duration(String attribute, String value, Class<?> userClass, Method method) {
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (RuntimeException ex) {
			throw new InvalidResqueJobException(MethodDescription.source(userClass, method),
					"its " + attribute + " \"" + value + "\" is not a duration such as \"10s\", \"2m\" or \"PT10S\"",
					ex);
		}
	}

	private Duration timeout(String timeout, Class<?> userClass, Method method) {
		if (timeout.isEmpty()) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(timeout);
		}
		catch (RuntimeException ex) {
			throw new InvalidResqueJobException(MethodDescription.source(userClass, method),
					"its timeout \"" + timeout + "\" is not a duration such as \"30s\", \"2m\", \"500ms\" or \"PT30S\"",
					ex);
		}
	}

}
