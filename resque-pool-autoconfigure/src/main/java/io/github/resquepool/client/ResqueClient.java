package io.github.resquepool.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.DelayedStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyJson;

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
	 * Delays a job, as Ruby's {@code Resque.enqueue_at_with_queue(queue, at, className, *args)}:
	 * the item {@code {"class":..,"args":[..],"queue":..}} goes into the bucket of the whole
	 * second of {@code at} ({@code delayed:<ts>}, {@code timestamps:<item>},
	 * {@code delayed_queue_schedule}), atomically, so that Ruby's {@code remove_delayed},
	 * {@code delayed?} and resque-web's Delayed tab see it and any resque-scheduler moves it. A
	 * second that is not later than the current one enqueues the job at once, as Ruby does.
	 * Arguments are written as Ruby writes JSON ({@link RubyJson}).
	 * @param queue the queue
	 * @param at when the job is due
	 * @param className the Resque class name
	 * @param args the arguments
	 * @throws IllegalArgumentException when the queue or class name is invalid, or an argument
	 * cannot be written as Ruby writes JSON
	 */
	public void enqueueAt(String queue, Instant at, String className, Object... args) {
		checkQueue(queue);
		checkClass(className);
		String rubyArgs = rubyArgsJson(args);
		long bucket = Math.floorDiv(at.toEpochMilli(), 1000L);
		if (bucket <= Instant.now().getEpochSecond()) {
			this.redis.jobs().enqueue(queue, JobPayload.render(className, rubyArgs));
		}
		else {
			this.redis.delayed().delay(bucket, DelayedStore.item(queue, className, rubyArgs));
		}
	}

	/**
	 * Delays a job by a duration from now, as Ruby's {@code Resque.enqueue_in_with_queue}; see
	 * {@link #enqueueAt}.
	 * @param queue the queue
	 * @param delay how long from now
	 * @param className the Resque class name
	 * @param args the arguments
	 */
	public void enqueueIn(String queue, Duration delay, String className, Object... args) {
		enqueueAt(queue, Instant.now().plus(delay), className, args);
	}

	/**
	 * Removes delayed jobs, as Ruby's {@code Resque.remove_delayed_in_queue(className, queue,
	 * *args)}: every copy of the item, in every bucket, found through the {@code timestamps:}
	 * index by its exact encoding.
	 * @param queue the queue
	 * @param className the Resque class name
	 * @param args the arguments
	 * @return how many delayed jobs were removed
	 */
	public long removeDelayed(String queue, String className, Object... args) {
		checkQueue(queue);
		checkClass(className);
		return this.redis.delayed().remove(DelayedStore.item(queue, className, rubyArgsJson(args)));
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

	private String rubyArgsJson(Object[] args) {
		try {
			return RubyJson.write(this.mapper.valueToTree(Arrays.asList(args)));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("cannot write the job arguments as JSON: " + ex.getMessage(), ex);
		}
	}

	private static void checkClass(String className) {
		if (className == null || className.isBlank()) {
			throw new IllegalArgumentException("a Resque class name is required");
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
