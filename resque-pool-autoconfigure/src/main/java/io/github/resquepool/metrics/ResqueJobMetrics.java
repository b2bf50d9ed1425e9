package io.github.resquepool.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.job.DuplicateJobException;
import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.pool.PoolListener;
import io.github.resquepool.worker.RunningJob;

/**
 * Records every finished job, on the worker's thread as it finishes:
 * <ul>
 * <li>{@code resque.jobs}, a counter, and {@code resque.job.duration}, a timer, both
 * tagged {@code outcome} ({@code success}, {@code failure}, {@code dont_perform},
 * {@code duplicate} for a unique job skipped because another copy runs, or {@code retry}
 * for a failed attempt of a job with retries that went back through the delayed queue,
 * {@code requeued} for a job that stopped at a checkpoint and went back to its queue),
 * {@code queue} and {@code class};</li>
 * <li>{@code resque.job.allocated}, a distribution summary in bytes with the same tags:
 * what the worker's thread allocated while the job ran, where the JVM measures it
 * (HotSpot, platform threads; jobs on virtual threads are not recorded);</li>
 * <li>{@code resque.queue.latency}, a timer tagged {@code queue}: the time from the
 * enqueue to the start of the job, for payloads that carry {@code enqueued_at} (epoch
 * seconds, written by {@code ResqueClient} when
 * {@code resque.pool.client.enqueued-at=true}).</li>
 * </ul>
 * Queue and class tags are {@linkplain BoundedTagValues bounded}; registered classes and
 * queues named in a group's list always keep their own tag.
 */
public class ResqueJobMetrics implements PoolListener {

	/** The default number of distinct queue and class tag values. */
	public static final int DEFAULT_MAX_TAG_VALUES = 200;

	private static final String ENQUEUED_AT = "enqueued_at";

	private final MeterProvider<Counter> jobs;

	private final MeterProvider<Timer> durations;

	private final MeterProvider<Timer> latencies;

	private final MeterProvider<DistributionSummary> allocations;

	private final boolean recordDuration;

	private final BoundedTagValues queues;

	private final BoundedTagValues classes;

	/**
	 * The meters of each tag set seen; bounded because the queue and class values are (4
	 * outcomes × the bounded queues × the bounded classes at most).
	 */
	private final ConcurrentHashMap<MeterKey, Meters> meters = new ConcurrentHashMap<>();

	/**
	 * Creates the meters with at most {@value #DEFAULT_MAX_TAG_VALUES} queue and class
	 * values.
	 * @param registry where they are registered
	 */
	public ResqueJobMetrics(MeterRegistry registry) {
		this(registry, DEFAULT_MAX_TAG_VALUES);
	}

	/**
	 * Creates the meters.
	 * @param registry where they are registered
	 * @param maxTagValues the number of distinct queue and of distinct class values kept
	 * before the others fold into {@value BoundedTagValues#OTHER}
	 */
	public ResqueJobMetrics(MeterRegistry registry, int maxTagValues) {
		this(registry, maxTagValues, true);
	}

	/**
	 * Creates the meters.
	 * @param registry where they are registered
	 * @param maxTagValues the number of distinct queue and of distinct class values kept
	 * before the others fold into {@value BoundedTagValues#OTHER}
	 * @param recordDuration whether to record {@code resque.job.duration}; not when each
	 * job's observation ({@code resque.job.execution}) already records a timer
	 */
	public ResqueJobMetrics(MeterRegistry registry, int maxTagValues, boolean recordDuration) {
		this.recordDuration = recordDuration;
		this.jobs = Counter.builder("resque.jobs").description("Resque jobs finished").withRegistry(registry);
		this.durations = Timer.builder("resque.job.duration")
			.description("Time Resque jobs ran")
			.withRegistry(registry);
		this.latencies = Timer.builder("resque.queue.latency")
			.description("Time Resque jobs waited in their queue before a worker took them")
			.withRegistry(registry);
		this.allocations = DistributionSummary.builder("resque.job.allocated")
			.description("Bytes the worker's thread allocated while a Resque job ran (platform threads only)")
			.baseUnit("bytes")
			.withRegistry(registry);
		this.queues = new BoundedTagValues(maxTagValues);
		this.classes = new BoundedTagValues(maxTagValues);
	}

	@Override
	public void jobFinished(String group, RunningJob job, JobResult result, Duration duration) {
		String queue = this.queues.of(job.queue(), job.configuredQueue());
		record(outcome(result), queue, this.classes.of(job.className(), job.registeredClass()), duration,
				result.allocatedBytes());
		Instant enqueuedAt = enqueuedAt(job.payload());
		if (enqueuedAt != null) {
			Duration latency = Duration.between(enqueuedAt, job.startedAt());
			this.latencies.withTags("queue", queue).record(latency.isNegative() ? Duration.ZERO : latency);
		}
	}

	@Override
	public void jobRequeued(String group, RunningJob job, JobInterrupt interrupt, Duration duration) {
		record("requeued", this.queues.of(job.queue(), job.configuredQueue()),
				this.classes.of(job.className(), job.registeredClass()), duration, -1);
	}

	@Override
	public void jobRetried(String group, RunningJob job, Throwable error, int attempt, Instant retryAt,
			Duration duration) {
		record("retry", this.queues.of(job.queue(), job.configuredQueue()),
				this.classes.of(job.className(), job.registeredClass()), duration, -1);
	}

	/**
	 * Counts a job, and times it unless the observation does, with the meters of its tag
	 * set, looked up once per set: building {@code Tags} and finding the meter for every
	 * job was a measurable share of the pool's CPU per job.
	 */
	private void record(String outcome, String queue, String className, Duration duration, long allocated) {
		MeterKey key = new MeterKey(outcome, queue, className);
		Meters meters = this.meters.get(key);
		if (meters == null) {
			meters = this.meters.computeIfAbsent(key, (k) -> {
				Tags tags = Tags.of("outcome", k.outcome(), "queue", k.queue(), "class", k.className());
				return new Meters(this.jobs.withTags(tags), this.recordDuration ? this.durations.withTags(tags) : null,
						this.allocations.withTags(tags));
			});
		}
		meters.counter().increment();
		if (meters.timer() != null) {
			meters.timer().record(duration);
		}
		if (allocated >= 0) {
			meters.allocated().record(allocated);
		}
	}

	private record MeterKey(String outcome, String queue, String className) {
	}

	private record Meters(Counter counter, Timer timer, DistributionSummary allocated) {
	}

	private static String outcome(JobResult result) {
		return switch (result.outcome()) {
			case PERFORMED -> "success";
			case FAILED -> "failure";
			case NOT_PERFORMED -> (result.error() instanceof DuplicateJobException) ? "duplicate" : "dont_perform";
		};
	}

	private static Instant enqueuedAt(String payload) {
		if (payload == null || !payload.contains("\"" + ENQUEUED_AT + "\"")) {
			return null;
		}
		try {
			JsonNode value = JsonMapper.shared().readTree(payload).get(ENQUEUED_AT);
			if (value == null || !value.isNumber()) {
				return null;
			}
			long micros = Math.round(value.asDouble() * 1_000_000);
			return Instant.EPOCH.plusNanos(micros * 1_000);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
