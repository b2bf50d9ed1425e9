package io.github.resquepool.health;

import io.github.resquepool.job.ResqueJob;

/**
 * A job that kills its worker, as a job that throws a {@link VirtualMachineError} does.
 */
public class HealthTestJobs {

	@ResqueJob("HealthTest::Crash")
	void crash() {
		throw new OutOfMemoryError("worker-killing error");
	}

}
