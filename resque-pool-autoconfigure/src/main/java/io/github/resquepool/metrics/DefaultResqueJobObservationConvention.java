package io.github.resquepool.metrics;

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

	private final BoundedTagValues queues = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	private final BoundedTagValues classes = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ResqueJobObservationContext context) {
		return "resque " + context.getJob().className();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ResqueJobObservationContext context) {
		JobContext job = context.getJob();
		return KeyValues.of("resque.queue", this.queues.of(job.queue()), "resque.class",
				this.classes.of(job.className()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ResqueJobObservationContext context) {
		JobContext job = context.getJob();
		KeyValues values = KeyValues.of("resque.worker", String.valueOf(job.workerId()));
		return (job.jobId() != null) ? values.and("resque.job_id", job.jobId()) : values;
	}

}
