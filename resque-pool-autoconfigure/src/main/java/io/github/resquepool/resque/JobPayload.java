package io.github.resquepool.resque;

import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A Resque job payload, {@code {"class":"Mailers::Welcome","args":[42,"en"]}}
 * ({@code lib/resque/job.rb}).
 *
 * @param className the Resque class name
 * @param args the arguments
 */
public record JobPayload(String className, ArrayNode args) {

	/**
	 * Renders the payload byte for byte as Ruby's {@code Resque.enqueue_to} does: compact
	 * JSON, {@code class} then {@code args}, nothing else.
	 * @param className the Resque class name
	 * @param argsJson the arguments, already rendered as a compact JSON array
	 * @return the payload text
	 */
	public static String render(String className, String argsJson) {
		return "{\"class\":" + Json.quote(className) + ",\"args\":" + argsJson + "}";
	}

	/**
	 * Renders the payload a retry enqueues, as Ruby's {@code Resque::Failure.requeue}
	 * does: {@code class} and {@code args} only, the arguments byte for byte as they were
	 * stored.
	 * @param storedPayload the failed job's payload text
	 * @return the payload to enqueue
	 * @throws InvalidPayloadException when the stored payload is not a job payload
	 */
	public static String retryPayload(String storedPayload) {
		JobPayload parsed = parse(storedPayload);
		String args = Json.rawValue(storedPayload, "args");
		return render(parsed.className(), (args == null || args.equals("null")) ? "[]" : args);
	}

	/**
	 * Reads a payload as a Ruby worker would: {@code args} missing or null means no
	 * arguments.
	 * @param text the payload text
	 * @return the payload
	 * @throws InvalidPayloadException with an operator-facing message when the text is
	 * not JSON, has a key twice in one object, is not an object, has no string
	 * {@code class}, or has {@code args} that is not an array
	 */
	public static JobPayload parse(String text) {
		JsonNode node = Json.readPayload(text);
		if (node == null) {
			throw new InvalidPayloadException("the payload is not valid JSON");
		}
		if (!node.isObject()) {
			throw new InvalidPayloadException("the payload is a JSON " + node.getNodeType().name().toLowerCase()
					+ ", not an object with \"class\" and \"args\"");
		}
		JsonNode className = node.get("class");
		if (className == null || !className.isString() || className.asString().isBlank()) {
			throw new InvalidPayloadException("the payload has no \"class\" string naming the job");
		}
		JsonNode args = node.get("args");
		if (args == null || args.isNull()) {
			return new JobPayload(className.asString(), JsonNodeFactory.instance.arrayNode());
		}
		if (!args.isArray()) {
			throw new InvalidPayloadException(
					"the payload's \"args\" is a JSON " + args.getNodeType().name().toLowerCase() + ", not an array");
		}
		return new JobPayload(className.asString(), (ArrayNode) args);
	}

	/**
	 * Reads a payload, or nothing when it is not a valid one.
	 * @param text the payload text, may be null
	 * @return the payload, if valid
	 */
	public static Optional<JobPayload> tryParse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(parse(text));
		}
		catch (InvalidPayloadException ex) {
			return Optional.empty();
		}
	}

}
