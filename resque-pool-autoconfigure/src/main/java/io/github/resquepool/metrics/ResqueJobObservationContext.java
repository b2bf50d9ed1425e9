package io.github.resquepool.metrics;

import io.micrometer.observation.transport.ReceiverContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.job.JobContext;

/**
 * The context of the observation of one job: a {@link ReceiverContext} whose carrier is
 * the {@link JobContext}, so that a tracing handler continues the trace whose context the
 * enqueue wrote into the payload (top-level {@code "traceparent"} and
 * {@code "tracestate"} with W3C propagation; see
 * {@code resque.pool.client.propagate-trace}).
 */
public class ResqueJobObservationContext extends ReceiverContext<JobContext> {

	private final JobContext job;

	/**
	 * Creates the context of a job.
	 * @param job the job
	 */
	public ResqueJobObservationContext(JobContext job) {
		super(ResqueJobObservationContext::field);
		this.job = job;
		setCarrier(job);
		setRemoteServiceName("resque");
	}

	private static String field(JobContext job, String key) {
		String payload = job.payload();
		if (payload == null || !payload.contains("\"" + key + "\"")) {
			return null;
		}
		try {
			JsonNode value = JsonMapper.shared().readTree(payload).get(key);
			return (value != null && value.isString()) ? value.asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Returns the job.
	 * @return the job
	 */
	public JobContext getJob() {
		return this.job;
	}

}
