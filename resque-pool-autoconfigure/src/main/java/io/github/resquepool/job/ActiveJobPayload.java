package io.github.resquepool.job;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The job hash of a Rails ActiveJob job enqueued through ActiveJob's Resque adapter: the
 * payload
 * {@code {"class":"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper","args":[{job
 * hash}]}}, whose job hash holds {@code job_class}, {@code job_id},
 * {@code provider_job_id}, {@code queue_name}, {@code priority}, {@code arguments},
 * {@code executions}, {@code exception_executions}, {@code locale}, {@code timezone},
 * {@code enqueued_at} and, from Rails 7.1, {@code scheduled_at}
 * ({@code activejob/lib/active_job/core.rb}). Values a job hash lacks are {@code null}.
 *
 * @param jobClass the Rails job class, e.g. {@code SendInvoiceJob}: the name a handler is
 * registered with
 * @param jobId ActiveJob's own job id, a UUID
 * @param providerJobId the queue adapter's id, {@code null} with Resque's adapter
 * @param queueName the queue the job was enqueued to
 * @param priority the priority, usually {@code null}
 * @param arguments the arguments as ActiveJob serialized them, with their {@code _aj_*}
 * markers
 * @param executions how many times Rails ran this job before (0 on a first run; inside a
 * Rails job's {@code perform}, {@code executions} is this plus one)
 * @param enqueuedAt when it was enqueued (whole seconds before Rails 7.1, nanoseconds
 * after)
 * @param scheduledAt when a delayed job was due (Rails 7.1+)
 * @param locale the {@code I18n} locale, e.g. {@code en}
 * @param timezone the {@code Time.zone} name when the enqueuing code had one, e.g.
 * {@code Europe/Berlin}
 * @see ActiveJobArguments
 */
public record ActiveJobPayload(String jobClass, String jobId, String providerJobId, String queueName, Integer priority,
		ArrayNode arguments, int executions, Instant enqueuedAt, Instant scheduledAt, String locale, String timezone) {

	/** The Resque class name of every ActiveJob payload, in all Rails versions. */
	public static final String WRAPPER_CLASS = "ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper";

	/**
	 * Reads the job hash of a payload, if it is an ActiveJob wrapper.
	 * @param className the payload's {@code class}
	 * @param args the payload's {@code args}
	 * @return the job, or {@code null} when the payload is not a wrapper with one job
	 * hash that names its {@code job_class}
	 */
	public static ActiveJobPayload read(String className, ArrayNode args) {
		if (!WRAPPER_CLASS.equals(className) || args == null || args.size() != 1 || !args.get(0).isObject()) {
			return null;
		}
		JsonNode job = args.get(0);
		String jobClass = text(job, "job_class");
		if (jobClass == null || jobClass.isBlank()) {
			return null;
		}
		JsonNode arguments = job.get("arguments");
		ArrayNode argumentArray = (arguments != null && arguments.isArray()) ? (ArrayNode) arguments
				: JsonNodeFactory.instance.arrayNode();
		JsonNode priority = job.get("priority");
		JsonNode executions = job.get("executions");
		return new ActiveJobPayload(jobClass, text(job, "job_id"), text(job, "provider_job_id"),
				text(job, "queue_name"),
				(priority != null && priority.canConvertToInt() && priority.isIntegralNumber()) ? priority.intValue()
						: null,
				argumentArray,
				(executions != null && executions.isIntegralNumber() && executions.canConvertToInt())
						? executions.intValue() : 0,
				instant(job, "enqueued_at"), instant(job, "scheduled_at"), text(job, "locale"), text(job, "timezone"));
	}

	private static String text(JsonNode job, String field) {
		JsonNode value = job.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static Instant instant(JsonNode job, String field) {
		String text = text(job, field);
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
