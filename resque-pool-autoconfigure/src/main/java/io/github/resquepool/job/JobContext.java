package io.github.resquepool.job;

/**
 * The job being run, for a handler that declares it as a parameter (anywhere in its signature;
 * it takes no positional argument) and for {@link JobInterceptor interceptors}.
 *
 * @param className the Resque class name from the payload
 * @param queue the queue the job was taken from
 * @param workerId the id of the worker running it
 * @param payload the raw payload JSON text
 */
public record JobContext(String className, String queue, String workerId, String payload) {

}
