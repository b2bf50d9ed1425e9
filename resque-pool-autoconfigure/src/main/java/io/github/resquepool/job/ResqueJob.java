package io.github.resquepool.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of the Resque jobs whose payload names the given
 * class, e.g. {@code {"class":"Mailers::Welcome","args":[42,"en"]}}.
 * <p>
 * The payload's {@code args} are bound by position to the method's parameters; a
 * {@link JobContext} parameter, anywhere in the signature, receives the job's context and
 * takes no argument. The method may be public, protected or package-private (also in a
 * package-private class) or static, but not private. Only names registered this way ever
 * run.
 *
 * @see ResqueJobMethodProcessor
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueJob {

	/**
	 * The Resque class name that payloads use for this job, e.g.
	 * {@code Mailers::Welcome}.
	 * @return the non-blank class name
	 */
	String value();

	/**
	 * How long one run of the job may take: a duration such as {@code 30s}, {@code 2m},
	 * {@code 500ms} or {@code PT30S}, or empty for the pool's default.
	 * @return the timeout, or an empty string
	 */
	String timeout() default "";

	/**
	 * How many times a failed run is tried again (Spring's
	 * {@code @Retryable#maxRetries}). A failed run with retries left is not a failure
	 * entry: it goes back through resque-scheduler's delayed queue (visible in
	 * resque-web's Delayed tab while it waits) and counts as {@code resque.jobs} outcome
	 * {@code retry}; only the last run becomes a failure entry, with its
	 * {@code attempts}. The attempts are counted in resque-retry's key
	 * {@code resque-retry:<class>:<sha1 of the args>}. Argument errors are never retried.
	 * @return the number of retries, 0 for none
	 */
	int maxRetries() default 0;

	/**
	 * The wait before the first retry, a duration such as {@code 10s} or {@code PT10S}.
	 * @return the delay
	 */
	String retryDelay() default "10s";

	/**
	 * What each further wait is multiplied by (at least 1).
	 * @return the multiplier
	 */
	double retryMultiplier() default 2.0;

	/**
	 * The longest wait between two runs, a duration.
	 * @return the maximum delay
	 */
	String retryMaxDelay() default "1h";

	/**
	 * How far each wait moves at random either way (scaled by the multiplier as the wait
	 * is, kept within {@code retryDelay} and {@code retryMaxDelay}), so that jobs that
	 * failed together do not come back together; empty for half of {@code retryDelay},
	 * {@code 0s} for none.
	 * @return the jitter, or an empty string
	 */
	String retryJitter() default "";

}
