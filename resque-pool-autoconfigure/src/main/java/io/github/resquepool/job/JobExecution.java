package io.github.resquepool.job;

/**
 * The rest of a job's run, handed to {@link JobInterceptor#aroundPerform}: the inner
 * interceptors and then the handler.
 */
@FunctionalInterface
public interface JobExecution {

	/**
	 * Runs the inner interceptors and the handler on the calling thread. Not calling it
	 * skips the job without a failure.
	 * @throws Exception what the inner interceptors or the handler threw
	 */
	void proceed() throws Exception;

}
