package io.github.resquepool.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValues;

import io.github.resquepool.job.JobContext;

/**
 * The default {@link ResqueJobObservationConvention}: name {@value #NAME}, contextual
 * name {@code resque <class>}, low-cardinality keys {@code resque.queue} and
 * {@code resque.class} (both {@linkplain BoundedTagValues bounded} to
 * {@value ResqueJobMetrics#DEFAULT_MAX_TAG_VALUES} values), high-cardinality keys
 * {@code resque.worker} and, for ActiveJob jobs, {@code resque.job_id}.
 */
public class DefaultResqueJobObservationConvention implements ResqueJobObservationConvention {

	/** The name of the observation. */
	public static final String NAME = "resque.job.execution";

	/** The most worker ids whose key values are kept before the cache starts over. */
	private static final int MAX_CACHED_WORKERS = 4096;

	private final BoundedTagValues queues = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	private final BoundedTagValues classes = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	/**
	 * The key values of each (bounded) queue and class: built, sorted and looked up once
	 * instead of for every job.
	 */
	private final Map<QueueAndClass, KeyValues> low = new ConcurrentHashMap<>();

	private final Map<String, KeyValues> workers = new ConcurrentHashMap<>();

	private final Map<String, String> contextualNames = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ResqueJobObservationContext context) {
		String className = context.getJob().className();
		String name = this.contextualNames.get(className);
		if (name == null) {
			name = "resque " + className;
			if (this.contextualNames.size() < ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES) {
				this.contextualNames.put(className, name);
			}
		}
		return name;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ResqueJobObservationContext context) {
		JobContext job = context.getJob();
		QueueAndClass key = new QueueAndClass(this.queues.of(job.queue()), this.classes.of(job.className()));
		KeyValues values = this.low.get(key);
		if (values == null) {
			values = this.low.computeIfAbsent(key,
					(k) -> KeyValues.of("resque.queue", k.queue(), "resque.class", k.className()));
		}
		return values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ResqueJobObservationContext context) {
		JobContext job = context.getJob();
		String worker = String.valueOf(job.workerId());
		KeyValues values = this.workers.get(worker);
		if (values == null) {
			if (this.workers.size() >= MAX_CACHED_WORKERS) {
				this.workers.clear();
			}
			values = this.workers.computeIfAbsent(worker, (w) -> KeyValues.of("resque.worker", w));
		}
		return (job.jobId() != null) ? values.and("resque.job_id", job.jobId()) : values;
	}

	private record QueueAndClass(String queue, String className) {
	}

}
