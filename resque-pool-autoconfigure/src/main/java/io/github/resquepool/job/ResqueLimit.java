package io.github.resquepool.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fleet-wide limit on a {@link ResqueJob @ResqueJob} handler: at most
 * {@link #concurrency()} of its jobs run at once, and at most {@link #rate()} start per
 * {@link #per()} window, across every pool on the Redis. With a {@link #key()} the limit
 * applies to each value of the key separately (one account, one tenant):
 *
 * <pre class="code">
 * &#064;ResqueJob("Billing::Charge")
 * &#064;ResqueLimit(concurrency = 5)
 * &#064;ResqueLimit(concurrency = 1, key = "#p0")
 * void charge(String account, long cents) { ... }
 * </pre>
 *
 * A job taken while a limit has no room is neither run nor counted: it waits, off its
 * queue, and runs when a slot frees or its window ends. Ruby workers on the same queue do
 * not know these limits. See {@code docs/flow-control.md}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ResqueLimits.class)
public @interface ResqueLimit {

	/**
	 * How many jobs under this limit may run at once, fleet-wide; 0 holds them all. -1
	 * (the default) for no concurrency limit.
	 * @return the concurrency
	 */
	int concurrency() default -1;

	/**
	 * How many jobs under this limit may start per {@link #per()} window, fleet-wide. -1
	 * (the default) for no rate limit.
	 * @return the rate
	 */
	int rate() default -1;

	/**
	 * The window of {@link #rate()}, such as {@code "1s"}, {@code "1m"} or
	 * {@code "PT1H"}. Windows are fixed: they start at multiples of their length (Redis'
	 * clock), so two windows in a row may start up to twice the rate within one length.
	 * @return the window
	 */
	String per() default "1s";

	/**
	 * A SpEL expression over the job's arguments, as {@code @Cacheable(key = ...)} takes
	 * them ({@code #p0}, {@code #a0}, {@code #root.args[0]}, and parameter names when
	 * compiled with {@code -parameters}): the limit applies to each of its values
	 * separately. Empty (the default) for one limit over the whole class.
	 * @return the key
	 */
	String key() default "";

}
