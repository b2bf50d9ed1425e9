package io.github.resquepool.worker;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.RetryPolicy;
import io.github.resquepool.resque.Fetch;
import io.github.resquepool.resque.InvalidPayloadException;
import io.github.resquepool.resque.JobPayload;

/**
 * One job a worker took, read and ready to run, or rejected because its payload cannot be
 * read.
 *
 * @param job the job as it came from Redis
 * @param payload the payload's text
 * @param parsed the parsed payload, {@code null} when rejected
 * @param context the job's context, {@code null} when rejected
 * @param handler the handler of its class name, looked up once, or {@code null} when the
 * name is unknown or the payload rejected
 * @param running the job as the pool sees it while it runs
 * @param rejection why the payload cannot be read, or {@code null}
 * @param control the run's control (checkpoints, progress, cancel), or {@code null} when
 * rejected or detached
 */
record JobRun(Fetch.Job job, String payload, JobPayload parsed, JobContext context, JobHandler handler,
		RunningJob running, InvalidPayloadException rejection, RunControl control) {

	/**
	 * @return how a failure of the job is tried again
	 */
	RetryPolicy retryPolicy() {
		return (this.handler != null) ? this.handler.retryPolicy() : RetryPolicy.NONE;
	}

}
