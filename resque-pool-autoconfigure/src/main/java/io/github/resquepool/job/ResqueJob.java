package io.github.resquepool.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of the Resque jobs whose payload names the given class,
 * e.g. {@code {"class":"Mailers::Welcome","args":[42,"en"]}}.
 * <p>
 * The payload's {@code args} are bound by position to the method's parameters; a
 * {@link JobContext} parameter, anywhere in the signature, receives the job's context and takes
 * no argument. The method may be public, protected or package-private (also in a package-private
 * class) or static, but not private. Only names registered this way ever run.
 *
 * @see ResqueJobMethodProcessor
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueJob {

	/**
	 * The Resque class name that payloads use for this job, e.g. {@code Mailers::Welcome}.
	 * @return the non-blank class name
	 */
	String value();

	/**
	 * How long one run of the job may take: a duration such as {@code 30s}, {@code 2m},
	 * {@code 500ms} or {@code PT30S}, or empty for the pool's default.
	 * @return the timeout, or an empty string
	 */
	String timeout() default "";

}
