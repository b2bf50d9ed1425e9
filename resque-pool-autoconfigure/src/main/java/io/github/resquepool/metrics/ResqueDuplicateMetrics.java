package io.github.resquepool.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;

import io.github.resquepool.client.DuplicateEnqueues;

/**
 * Counts the enqueues of unique jobs that {@code ResqueClient} did not make because an
 * identical job was enqueued, delayed or running: {@code resque.jobs} with
 * {@code outcome=duplicate}, {@code queue} and {@code class} (bounded), in the process
 * that enqueues. A worker that skips a duplicate counts it on the same counter through
 * {@link ResqueJobMetrics}. Also counts the enqueues that waited for the commit of their
 * transaction and failed after it (without the outbox): {@code resque.enqueue.failed}
 * with {@code queue} and {@code class}.
 */
public class ResqueDuplicateMetrics implements DuplicateEnqueues {

	private final MeterProvider<Counter> jobs;

	private final MeterProvider<Counter> failedAfterCommit;

	private final BoundedTagValues queues = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	private final BoundedTagValues classes = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	/**
	 * Creates the counter.
	 * @param registry where it is registered
	 */
	public ResqueDuplicateMetrics(MeterRegistry registry) {
		this.jobs = Counter.builder("resque.jobs").description("Resque jobs finished").withRegistry(registry);
		this.failedAfterCommit = Counter.builder("resque.enqueue.failed")
			.description("Enqueues that waited for the commit of their transaction and failed after it")
			.withRegistry(registry);
	}

	@Override
	public void duplicate(String queue, String className) {
		this.jobs.withTags("outcome", "duplicate", "queue", this.queues.of(queue), "class", this.classes.of(className))
			.increment();
	}

	@Override
	public void failedAfterCommit(String queue, String className) {
		this.failedAfterCommit.withTags("queue", this.queues.of(queue), "class", this.classes.of(className))
			.increment();
	}

}
