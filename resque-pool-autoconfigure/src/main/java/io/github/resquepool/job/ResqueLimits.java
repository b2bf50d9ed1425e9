package io.github.resquepool.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds several {@link ResqueLimit @ResqueLimit}s on one handler; Java writes it when the
 * annotation is repeated.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueLimits {

	/**
	 * @return the limits
	 */
	ResqueLimit[] value();

}
