package io.github.resquepool.client;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Enqueues Resque jobs from Java and reads queues. An enqueue writes byte for byte what Ruby's
 * {@code Resque.enqueue_to} writes (compact {@code {"class":..,"args":[..]}}, SADD
 * {@code queues}, RPUSH {@code queue:<q>}), so Ruby workers run Java-enqueued jobs and Ruby's
 * {@code Resque.dequeue} finds them; it also wakes an idle pool worker at once. Arguments are
 * written with the application's Jackson mapper. Thread-safe.
 */
public class ResqueClient {

	private final ResqueRedis redis;

	private final JsonMapper mapper;

	private final boolean enqueuedAt;

	/**
	 * Creates a client.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time (which Ruby ignores,
	 * but which makes byte-exact {@code Resque.dequeue} miss them)
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt) {
		this.redis = redis;
		this.mapper = mapper;
		this.enqueuedAt = enqueuedAt;
	}

	/**
	 * Enqueues a job, as Ruby's {@code Resque.enqueue_to(queue, className, *args)}.
	 * @param queue the queue
	 * @param className the Resque class name the worker dispatches on
	 * @param args the arguments, written as a JSON array
	 * @return the queue's length after the enqueue
	 * @throws IllegalArgumentException when the queue name or class name is invalid, or an
	 * argument cannot be written as JSON
	 */
	public long enqueue(String queue, String className, Object... args) {
		return this.redis.jobs().enqueue(checkQueue(queue), payload(className, args));
	}

	/**
	 * Renders the payload an enqueue would write.
	 * @param className the Resque class name
	 * @param args the arguments
	 * @return the payload text
	 */
	public String payload(String className, Object... args) {
		if (className == null || className.isBlank()) {
			throw new IllegalArgumentException("a Resque class name is required");
		}
		String rendered = JobPayload.render(className, argsJson(args));
		if (this.enqueuedAt) {
			// A plain decimal, as Ruby's Time#to_f renders: never Java's exponent form such as 1.7E9.
			String now = java.math.BigDecimal.valueOf(System.currentTimeMillis(), 3).toPlainString();
			rendered = rendered.substring(0, rendered.length() - 1) + ",\"enqueued_at\":" + now + "}";
		}
		return rendered;
	}

	/**
	 * Removes the jobs of a class from a queue, as Ruby's {@code Resque.dequeue}: with arguments,
	 * only the payloads equal byte for byte to what an enqueue of them writes.
	 * @param queue the queue
	 * @param className the class name
	 * @param args the arguments; none to remove every job of the class
	 * @return how many jobs were removed
	 */
	public long dequeue(String queue, String className, Object... args) {
		if (args.length > 0) {
			return this.redis.queues().remove(checkQueue(queue), JobPayload.render(className, argsJson(args)));
		}
		return this.redis.queues().removeClass(checkQueue(queue), className);
	}

	/**
	 * @param queue a queue
	 * @return how many jobs wait in it
	 */
	public long size(String queue) {
		return this.redis.queues().size(queue);
	}

	/** @return the names in Resque's {@code queues} set */
	public Set<String> queues() {
		return this.redis.queues().names();
	}

	/**
	 * Reads jobs of a queue without taking them.
	 * @param queue the queue
	 * @param start the first index (0 = the next job to run)
	 * @param count how many
	 * @return the payload texts
	 */
	public List<String> peek(String queue, long start, int count) {
		return this.redis.queues().peek(queue, start, start + count - 1);
	}

	private String argsJson(Object[] args) {
		try {
			return this.mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Arrays.asList(args));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("cannot write the job arguments as JSON: " + ex.getMessage(), ex);
		}
	}

	private static String checkQueue(String queue) {
		if (queue == null) {
			throw new IllegalArgumentException("a queue name is required");
		}
		QueueSpec spec = QueueSpec.parse(queue);
		if (spec.isDynamic() || spec.inclusions().size() != 1) {
			throw new IllegalArgumentException("'" + queue + "' is not a single queue name");
		}
		return queue;
	}

}
