package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link ResqueUnique @ResqueUnique} methods of every bean and registers their
 * classes in {@link UniqueJobs}. A {@code @ResqueUnique} method without
 * {@link ResqueJob @ResqueJob}, a key that is not a SpEL expression, or a ttl that is not
 * a positive duration fails the creation of its bean with an
 * {@link InvalidResqueJobException} naming the method. Declare it as a {@code static}
 * bean.
 */
public final class ResqueUniqueMethodProcessor implements BeanPostProcessor {

	private final UniqueJobs uniqueJobs;

	private final Set<Class<?>> classesWithoutUniqueJobs = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a processor.
	 * @param uniqueJobs the registry to fill
	 */
	public ResqueUniqueMethodProcessor(UniqueJobs uniqueJobs) {
		Assert.notNull(uniqueJobs, "'uniqueJobs' must not be null");
		this.uniqueJobs = uniqueJobs;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean) {
			return bean;
		}
		Class<?> userClass = ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(bean));
		if (this.classesWithoutUniqueJobs.contains(userClass)
				|| !AnnotationUtils.isCandidateClass(userClass, ResqueUnique.class)) {
			return bean;
		}
		Map<Method, ResqueUnique> methods = MethodIntrospector.selectMethods(userClass,
				(MethodIntrospector.MetadataLookup<ResqueUnique>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ResqueUnique.class));
		if (methods.isEmpty()) {
			this.classesWithoutUniqueJobs.add(userClass);
			return bean;
		}
		methods.forEach((method, unique) -> this.uniqueJobs.register(uniqueJob(userClass, method, unique)));
		return bean;
	}

	private static UniqueJob uniqueJob(Class<?> userClass, Method method, ResqueUnique unique) {
		String source = MethodDescription.source(userClass, method);
		ResqueJob job = AnnotatedElementUtils.findMergedAnnotation(method, ResqueJob.class);
		if (job == null) {
			throw new InvalidResqueJobException(source,
					"it is annotated @ResqueUnique but not @ResqueJob, so it handles no job to make unique");
		}
		return new UniqueJob(job.value(), unique.until(), ttl(source, unique.ttl()), method, key(source, unique.key()),
				source);
	}

	private static Duration ttl(String source, String ttl) {
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(ttl);
		}
		catch (RuntimeException ex) {
			throw new InvalidResqueJobException(source,
					"its @ResqueUnique ttl \"" + ttl + "\" is not a duration such as \"1h\", \"30m\" or \"PT1H\"", ex);
		}
		if (parsed.toMillis() < 1) {
			throw new InvalidResqueJobException(source, "its @ResqueUnique ttl \"" + ttl + "\" is not positive");
		}
		return parsed;
	}

	private static Expression key(String source, String key) {
		if (key.isBlank()) {
			return null;
		}
		try {
			return JobKeys.parse(key);
		}
		catch (ParseException ex) {
			throw new InvalidResqueJobException(source,
					"its @ResqueUnique key \"" + key + "\" is not a SpEL expression: " + ex.getMessage(), ex);
		}
	}

}
