package io.github.resquepool.metrics;

import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.ResqueJob;

/**
 * Jobs with each outcome the meters tell apart.
 */
public class MetricsTestJobs {

	@ResqueJob("MetricsTest::Succeed")
	void succeed(String value) {
	}

	@ResqueJob("MetricsTest::Fail")
	void fail(String value) {
		throw new IllegalStateException("failed on purpose");
	}

	@ResqueJob("MetricsTest::Skip")
	void skip(String value) {
		throw new IllegalStateException("a before hook skips this job");
	}

	/**
	 * Skips {@code MetricsTest::Skip} before it runs, the one way Ruby lets a job be
	 * skipped.
	 */
	static class SkipHook implements JobInterceptor {

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			if (job.className().equals("MetricsTest::Skip")) {
				throw new DontPerform();
			}
		}

	}

	@ResqueJob("MetricsTest::Crash")
	void crash(String value) {
		throw new OutOfMemoryError("worker-killing error");
	}

}
