package io.github.resquepool.resque;

import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * One encoded item of a resque-scheduler bucket,
 * {@code {"class":..,"args":[..],"queue":..}}, and what moving it pushes: the job
 * {@code {"class":..,"args":[..]}} re-encoded as Ruby's {@code enqueue_from_config} does
 * (an {@code args} object or scalar becomes a one-element array, a missing or null one an
 * empty array; {@code queue} and any other key are dropped), or, for an item Ruby would
 * crash on or silently drop, a failure entry for Resque's {@code failed} list.
 *
 * @param raw the encoded item as stored
 * @param queue the queue of the job, or {@code null} when the item is bad
 * @param output the job payload, or the failure entry of a bad item
 * @param problem why the item is bad, or {@code null}
 */
public record DelayedItem(String raw, String queue, String output, String problem) {

	/** The exception class of the failure entries of bad items. */
	public static final String EXCEPTION = "ResquePool::InvalidDelayedItem";

	private static final Pattern INTEGER = Pattern.compile("-?\\d+");

	/**
	 * Tells whether a bucket member of {@code delayed_queue_schedule} is an integer
	 * string, as resque-scheduler writes them; any other member (a fraction, a
	 * millisecond time is still an integer) makes a Ruby scheduler spin.
	 * @param member the zset member
	 * @return whether it names a bucket
	 */
	public static boolean isBucketMember(String member) {
		return INTEGER.matcher(member).matches();
	}

	/**
	 * Reads an item and prepares its move.
	 * @param raw the encoded item
	 * @param bucket the bucket key without prefix, {@code delayed:<ts>}
	 * @param validBucket whether the bucket member is an integer; items of other buckets
	 * fail
	 * @param failedAt the {@code failed_at} of a failure entry
	 * @param worker the {@code worker} of a failure entry
	 * @return the move
	 */
	static DelayedItem of(String raw, String bucket, boolean validBucket, String failedAt, String worker) {
		if (!validBucket) {
			return bad(raw, "the bucket member is not an integer number of seconds", bucket, null, failedAt, worker);
		}
		JsonNode node = Json.readTree(raw);
		if (node == null || !node.isObject()) {
			return bad(raw, (node != null) ? "the item is not a JSON object" : "the item is not valid JSON", bucket,
					null, failedAt, worker);
		}
		JsonNode className = node.get("class");
		JsonNode queue = node.get("queue");
		String queueName = (queue != null && queue.isString()) ? queue.asString() : null;
		if (className == null || !className.isString() || className.asString().isBlank()) {
			return bad(raw, "the item has no \"class\" string naming the job", bucket, queueName, failedAt, worker);
		}
		if (queueName == null || queueName.isBlank()) {
			return bad(raw, "the item has no \"queue\" string, and only Ruby can infer a queue from a class", bucket,
					null, failedAt, worker);
		}
		try {
			String args = RubyJson.write(RubyJson.asArray(node.get("args")));
			return new DelayedItem(raw, queueName,
					"{\"class\":" + RubyJson.quote(className.asString()) + ",\"args\":" + args + "}", null);
		}
		catch (IllegalArgumentException ex) {
			return bad(raw, "its arguments cannot be written as Ruby writes JSON: " + ex.getMessage(), bucket,
					queueName, failedAt, worker);
		}
	}

	static DelayedItem bad(String raw, String problem, String bucket, String queue, String failedAt, String worker) {
		String error = "Delayed item in " + bucket + " could not be enqueued: " + problem
				+ "; it was taken out of the delayed queue";
		String entry = new FailureRecord(failedAt, raw, EXCEPTION, error, null, worker, (queue != null) ? queue : "",
				null)
			.toJson();
		return new DelayedItem(raw, null, entry, problem);
	}

	/**
	 * @return whether the item goes to {@code failed} instead of a queue
	 */
	public boolean isBad() {
		return this.problem != null;
	}

}
