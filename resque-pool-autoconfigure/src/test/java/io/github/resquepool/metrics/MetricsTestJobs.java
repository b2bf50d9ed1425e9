package io.github.resquepool.metrics;

import io.github.resquepool.job.DontPerform;
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
		throw new DontPerform();
	}

	@ResqueJob("MetricsTest::Crash")
	void crash(String value) {
		throw new LinkageError("worker-killing error");
	}

}
