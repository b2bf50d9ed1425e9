package io.github.resquepool.resque;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The working status at {@code worker:<id>} while a job runs:
 * {@code {"queue":"mail","run_at":"2026-11-22T14:34:42Z","payload":{...}}}, written by
 * the fetch script in the same atomic step that takes the job.
 *
 * @param queue the queue the job came from
 * @param runAt when it was taken, UTC ISO-8601
 * @param payload the payload text as taken
 */
public record WorkerStatus(String queue, String runAt, String payload) {

	private static final Pattern SHAPE = Pattern
		.compile("^\\{\"queue\":\"(.*?)\",\"run_at\":\"([^\"]*)\",\"payload\":(.*)}$", Pattern.DOTALL);

	/**
	 * Renders the status exactly as Ruby's {@code Worker#working_on} writes it.
	 * @return the JSON text
	 */
	public String toJson() {
		return "{\"queue\":" + Json.quote(this.queue) + ",\"run_at\":" + Json.quote(this.runAt) + ",\"payload\":"
				+ Json.payloadValue(this.payload) + "}";
	}

	/**
	 * Reads a status this pool or Ruby wrote.
	 * @param json the stored text
	 * @return the status, or empty when the text has another shape
	 */
	public static Optional<WorkerStatus> parse(String json) {
		Matcher matcher = SHAPE.matcher(json);
		if (matcher.matches()) {
			String queue = unquote("\"" + matcher.group(1) + "\"");
			String payload = matcher.group(3);
			if (payload.startsWith("\"")) {
				payload = unquote(payload);
			}
			return (queue != null && payload != null) ? Optional.of(new WorkerStatus(queue, matcher.group(2), payload))
					: Optional.empty();
		}
		JsonNode node = Json.readTree(json);
		if (node == null || !node.isObject() || node.get("queue") == null) {
			return Optional.empty();
		}
		JsonNode payload = node.get("payload");
		return Optional.of(new WorkerStatus(node.get("queue").asString(), node.path("run_at").asString(""),
				(payload != null) ? (payload.isString() ? payload.asString() : payload.toString()) : null));
	}

	private static String unquote(String quoted) {
		JsonNode node = Json.readTree(quoted);
		return (node != null && node.isString()) ? node.asString() : null;
	}

}
