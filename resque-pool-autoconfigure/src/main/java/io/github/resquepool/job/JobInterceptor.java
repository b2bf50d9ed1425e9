package io.github.resquepool.job;

/**
 * Hooks around every job, with the semantics of Ruby Resque's job hooks
 * ({@code before_perform}, {@code around_perform}, {@code after_perform},
 * {@code on_failure}). Declare implementations as beans; they run in the order of
 * {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered}, lowest first, the first being the outermost
 * around the job. All methods run on the worker's thread and receive the arguments
 * exactly as the handler does.
 *
 * @see JobInvoker
 */
public interface JobInterceptor {

	/**
	 * Called before the job, for every interceptor in order. Throw {@link DontPerform} to
	 * skip the job quietly (no failure, no handler, no after hooks); any other exception
	 * fails it.
	 * @param job the job
	 * @param args the bound arguments
	 * @throws Exception to skip or fail the job
	 */
	default void beforePerform(JobContext job, Object[] args) throws Exception {
	}

	/**
	 * Wraps the inner interceptors and the handler. Not calling
	 * {@link JobExecution#proceed()} skips the job without a failure; after hooks still
	 * run.
	 * @param job the job
	 * @param args the bound arguments
	 * @param next the rest of the run
	 * @throws Exception to fail the job ({@link DontPerform} skips it instead)
	 */
	default void aroundPerform(JobContext job, Object[] args, JobExecution next) throws Exception {
		next.proceed();
	}

	/**
	 * Called after the job, for every interceptor in order, only when nothing raised.
	 * @param job the job
	 * @param args the bound arguments
	 * @throws Exception to fail the job
	 */
	default void afterPerform(JobContext job, Object[] args) throws Exception {
	}

	/**
	 * Called once per failed job, for every interceptor in order, also when the arguments
	 * could not be bound (then {@code args} is empty). An exception from here is recorded
	 * together with the job's own.
	 * @param job the job
	 * @param args the bound arguments, or an empty array
	 * @param error why the job failed
	 * @throws Exception when the hook itself fails
	 */
	default void onFailure(JobContext job, Object[] args, Throwable error) throws Exception {
	}

}
