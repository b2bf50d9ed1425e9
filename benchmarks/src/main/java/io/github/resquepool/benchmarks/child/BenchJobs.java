package io.github.resquepool.benchmarks.child;

import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;

/**
 * The benchmark's Resque jobs for resque-pool; {@link JesqueChild} has the same four for
 * Jesque.
 */
public class BenchJobs {

	/**
	 * How long {@code Bench::Block} runs, in milliseconds (system property
	 * {@code bench.block-millis}).
	 */
	static final long BLOCK_MILLIS = Long.getLong("bench.block-millis", 0);

	/**
	 * Does nothing, under a fleet-wide concurrency limit that never binds: each run takes
	 * and frees a slot.
	 */
	@ResqueJob("Bench::LimitedNoop")
	@ResqueLimit(concurrency = 100_000)
	public void limitedNoop() {
		Probe.started();
		Probe.finished();
	}

	/** Does nothing. */
	@ResqueJob("Bench::Noop")
	public void noop() {
		Probe.started();
		Probe.finished();
	}

	/**
	 * Sleeps 1 ms.
	 * @throws InterruptedException when the pool stops it
	 */
	@ResqueJob("Bench::Sleep1ms")
	public void sleep1ms() throws InterruptedException {
		Probe.started();
		Thread.sleep(1);
		Probe.finished();
	}

	/**
	 * Records its pickup latency.
	 * @param enqueuedMicros when it was enqueued, epoch microseconds
	 */
	@ResqueJob("Bench::Pickup")
	public void pickup(long enqueuedMicros) {
		Probe.pickedUp(enqueuedMicros);
	}

	/**
	 * Reports that it started, then runs for {@code bench.block-millis} (the pool that
	 * gets killed runs it for minutes, the one that recovers it returns at once).
	 * @param tag the job's tag
	 * @throws InterruptedException when the pool stops it
	 */
	@ResqueJob("Bench::Block")
	public void block(String tag) throws InterruptedException {
		Probe.picked(tag);
		if (BLOCK_MILLIS > 0) {
			Thread.sleep(BLOCK_MILLIS);
		}
	}

}
