package io.github.resquepool.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes the jobs of a {@link ResqueJob @ResqueJob} method unique: while a job of the same
 * class and key is enqueued, delayed, or (with {@link Until#FINISHED}) running,
 * {@code ResqueClient.enqueue}, {@code enqueueAt} and {@code enqueueIn} of another one do
 * not enqueue it ({@code enqueue} returns {@code ResqueClient.DUPLICATE}). The lock lives
 * in Redis at {@code resquepool:unique:<class>:<sha1 of the key>}, at most
 * {@link #ttl()}.
 * <p>
 * A process enqueues under the lock only when it has the handler of the class (the
 * annotation is read there); Ruby and processes without the handler enqueue as usual. A
 * worker that takes a job whose key is held by another running copy (under
 * {@link Until#FINISHED}) skips it with a {@link DuplicateJobException}: not a failure.
 *
 * @see ResqueUniqueMethodProcessor
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueUnique {

	/**
	 * Until when the lock is held.
	 * @return {@link Until#FINISHED} by default
	 */
	Until until() default Until.FINISHED;

	/**
	 * The longest the lock lives, a duration such as {@code 1h}, {@code 30m} or
	 * {@code PT1H}, so that a lost job cannot block its key forever. A worker that starts
	 * the job sets it anew to this.
	 * @return the time to live
	 */
	String ttl() default "1h";

	/**
	 * A SpEL expression over the arguments, as Spring's {@code @Cacheable(key = ...)}
	 * takes it ({@code #p0}, {@code #a0}, {@code #root.args[0]}, and parameter names
	 * where compiled with {@code -parameters}); empty for all the arguments.
	 * @return the key expression, or an empty string
	 */
	String key() default "";

	/**
	 * When a unique job's lock is released.
	 */
	enum Until {

		/** When a worker starts the job: a copy may be enqueued while it runs. */
		STARTED,

		/**
		 * When the job finishes, fails or is not performed: no copy is enqueued while it
		 * runs.
		 */
		FINISHED

	}

}
