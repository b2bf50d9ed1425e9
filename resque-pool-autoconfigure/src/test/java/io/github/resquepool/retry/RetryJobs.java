package io.github.resquepool.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resquepool.job.ResqueJob;

/**
 * Jobs with retries for {@link JobRetryTests}.
 */
public class RetryJobs {

	/** Every run, as "class:arg". */
	public final List<String> runs = new CopyOnWriteArrayList<>();

	/** How many runs of {@code Retry::Flaky} fail before one succeeds. */
	public final AtomicInteger flakyFailures = new AtomicInteger();

	@ResqueJob(value = "Retry::AlwaysFails", maxRetries = 2, retryDelay = "60s", retryMultiplier = 3.0,
			retryMaxDelay = "1h", retryJitter = "10s")
	void alwaysFails(String arg) {
		this.runs.add("AlwaysFails:" + arg);
		throw new IllegalStateException("the dependency is down (" + arg + ")");
	}

	@ResqueJob(value = "Retry::Flaky", maxRetries = 3, retryDelay = "1s", retryJitter = "0s")
	void flaky(int id, String arg) {
		this.runs.add("Flaky:" + arg);
		if (this.flakyFailures.getAndDecrement() > 0) {
			throw new IllegalStateException("flaky " + arg);
		}
	}

	@ResqueJob(value = "Retry::BadArguments", maxRetries = 5)
	void badArguments(int id) {
		this.runs.add("BadArguments:" + id);
	}

}
