package io.github.resquepool.sample.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;

/**
 * A {@link JobInterceptor} that logs each failed job in one line; the failure itself
 * (with its backtrace) is in Resque's failed list.
 */
@Component
public class JobFailureLogger implements JobInterceptor {

	private static final Logger log = LoggerFactory.getLogger(JobFailureLogger.class);

	@Override
	public void onFailure(JobContext job, Object[] args, Throwable error) {
		log.warn("Job {} from queue '{}' failed and was recorded in the failed list: {}: {}", job.className(),
				job.queue(), error.getClass().getName(), error.getMessage());
	}

}
