package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * One entry of Resque's {@code failed} list ({@code lib/resque/failure/redis.rb}),
 * written with Ruby's keys in Ruby's order and read tolerantly from entries Ruby, Jesque
 * or this pool wrote.
 *
 * @param failedAt when it failed, {@code 2026/11/22 14:34:41 UTC}
 * @param payload the payload JSON exactly as taken from the queue (a text that is not a
 * JSON object is stored as a JSON string)
 * @param exception the exception class name
 * @param error the exception message, {@code ""} when there is none
 * @param backtrace one string per frame
 * @param worker the id of the worker that ran it
 * @param queue the queue it came from
 * @param retriedAt when it was retried, or {@code null}
 */
public record FailureRecord(String failedAt, String payload, String exception, String error, List<String> backtrace,
		String worker, String queue, String retriedAt) {

	/** Creates a record; a null backtrace becomes empty. */
	public FailureRecord {
		backtrace = (backtrace != null) ? List.copyOf(backtrace) : List.of();
	}

	/**
	 * Renders the entry as Resque stores it: compact JSON, keys in Ruby's order,
	 * {@code retried_at} only once retried.
	 * @return the JSON text
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder(256);
		json.append("{\"failed_at\":").append(stringOrNull(this.failedAt));
		json.append(",\"payload\":").append(Json.payloadValue(this.payload));
		json.append(",\"exception\":").append(stringOrNull(this.exception));
		json.append(",\"error\":").append(stringOrNull(this.error));
		json.append(",\"backtrace\":[");
		for (int i = 0; i < this.backtrace.size(); i++) {
			json.append((i > 0) ? "," : "").append(Json.quote(this.backtrace.get(i)));
		}
		json.append("],\"worker\":").append(stringOrNull(this.worker));
		json.append(",\"queue\":").append(stringOrNull(this.queue));
		if (this.retriedAt != null) {
			json.append(",\"retried_at\":").append(Json.quote(this.retriedAt));
		}
		return json.append('}').toString();
	}

	/**
	 * Marks a stored entry as retried the way Ruby does, keeping every other byte of it
	 * (keys this class does not know, numbers as Ruby wrote them).
	 * @param storedJson the entry as stored
	 * @param retriedAt the retry time in Ruby's format
	 * @return the entry text to store
	 */
	public static String markRetried(String storedJson, String retriedAt) {
		return Json.withField(storedJson, "retried_at", Json.quote(retriedAt));
	}

	/**
	 * Returns a copy marked as retried.
	 * @param retriedAt the retry time in Ruby's format
	 * @return the marked copy
	 */
	public FailureRecord withRetriedAt(String retriedAt) {
		return new FailureRecord(this.failedAt, this.payload, this.exception, this.error, this.backtrace, this.worker,
				this.queue, retriedAt);
	}

	/**
	 * @return the job's class name from the payload, if the payload names one
	 */
	public Optional<String> jobClass() {
		return JobPayload.tryParse(this.payload).map(JobPayload::className);
	}

	/**
	 * Reads an entry as stored. Missing fields are {@code null}; a string backtrace
	 * (which resque-web cannot render) is read as one frame.
	 * @param json the stored text
	 * @return the entry, or empty when the text is not a JSON object
	 */
	public static Optional<FailureRecord> parse(String json) {
		JsonNode node = Json.readTree(json);
		if (node == null || !node.isObject()) {
			return Optional.empty();
		}
		JsonNode payloadNode = node.get("payload");
		String payload = (payloadNode == null || payloadNode.isNull()) ? null
				: payloadNode.isString() ? payloadNode.asString() : Json.rawValue(json, "payload");
		List<String> backtrace = new ArrayList<>();
		JsonNode trace = node.get("backtrace");
		if (trace != null && trace.isArray()) {
			trace.forEach((frame) -> backtrace.add(frame.isString() ? frame.asString() : frame.toString()));
		}
		else if (trace != null && trace.isString()) {
			backtrace.add(trace.asString());
		}
		return Optional.of(new FailureRecord(text(node, "failed_at"), payload, text(node, "exception"),
				text(node, "error"), backtrace, text(node, "worker"), text(node, "queue"), text(node, "retried_at")));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		return value.isString() ? value.asString() : value.toString();
	}

	private static String stringOrNull(String value) {
		return (value != null) ? Json.quote(value) : "null";
	}

}
