package io.github.resquepool.resque;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.ScriptOutputType;

/**
 * Fleet-wide flow control: the slots of concurrency limits and the windows of rate
 * limits, taken by {@code limit-acquire.lua} before a job runs and freed wherever the
 * core lets a worker's job go (its outcome recorded, requeued, or its worker removed,
 * recovery of a dead pool included). A job whose limit has no room waits in that limit's
 * list, off its queue, and goes back to the head of its queue when a slot frees or its
 * window ends. The keys are named in {@code docs/architecture.md}.
 */
public final class LimitStore extends RedisStore {

	/** How many limits the safety net of {@link #wakeDue()} looks at per call. */
	static final int SAFETY_NET_SAMPLE = 20;

	private final LuaScript acquire = LuaScript.load("limit-acquire");

	private final LuaScript due = LuaScript.load("limit-due");

	private final LuaScript view = LuaScript.load("limit-view");

	private final LuaScript queue = LuaScript.load("limit-queue");

	private final LuaScript overrides = LuaScript.load("limit-overrides");

	/** The most run-time queue limits read. */
	static final int MAX_QUEUE_OVERRIDES = 1000;

	/** Key values longer than this go into a limit's id as their SHA-1. */
	static final int MAX_KEY_IN_ID = 200;

	LimitStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * The id of a limit of a job class: {@code class:<class>:<index>}, or
	 * {@code key:<class>:<index>:<key>} for one value of a keyed limit
	 * ({@code sha1:<hex>} for a key over {@value #MAX_KEY_IN_ID} characters).
	 * @param className the job's class
	 * @param index the limit's position among the handler's limits
	 * @param key the key's value, or {@code null}
	 * @return the id
	 */
	public static String classLimitId(String className, int index, String key) {
		if (key == null) {
			return "class:" + className + ":" + index;
		}
		return "key:" + className + ":" + index + ":"
				+ ((key.length() <= MAX_KEY_IN_ID) ? key : "sha1:" + Sha1.hex(key));
	}

	/**
	 * Takes a slot of every limit a job is under, all or none, while its worker still
	 * holds the job; when one has no room the job waits in that limit's list instead, and
	 * the worker no longer holds it.
	 * @param workerId the worker
	 * @param statusSha the SHA-1 of the job's working status
	 * @param slots the limits, at least one
	 * @return what became of the job
	 */
	public Admission acquire(String workerId, String statusSha, List<Slot> slots) {
		List<String> args = new ArrayList<>(2 + 7 * slots.size());
		args.add(workerId);
		args.add(statusSha);
		for (Slot slot : slots) {
			args.add(slot.id());
			args.add(Integer.toString(slot.concurrency()));
			args.add(Integer.toString(slot.rate()));
			args.add(Long.toString(Math.max(1, slot.per().toMillis())));
			args.add(slot.kind());
			args.add(slot.name());
			args.add((slot.key() != null) ? slot.key() : "");
		}
		List<Object> answer = list(script(this.acquire, ScriptOutputType.MULTI, args));
		return switch (string(answer.get(0))) {
			case "ok" -> Admission.ADMITTED;
			case "blocked" -> new Admission(Admission.Kind.BLOCKED, string(answer.get(1)), string(answer.get(2)));
			default -> Admission.GONE;
		};
	}

	/**
	 * Puts back at the head of their queues the held-back jobs whose limits have room
	 * again: those whose rate window ended, and those of a few limits with free slots.
	 * @return how many jobs were put back
	 */
	public long wakeDue() {
		return (Long) script(this.due, ScriptOutputType.INTEGER, List.of(Integer.toString(SAFETY_NET_SAMPLE)));
	}

	/**
	 * Reads the limits in use across the fleet.
	 * @param max the most limits returned
	 * @param holders the most holders named per limit
	 * @return the limits in use, by id
	 */
	public InUse inUse(int max, int holders) {
		List<Object> answer = list(
				script(this.view, ScriptOutputType.MULTI, List.of(Integer.toString(max), Integer.toString(holders))));
		List<LimitState> limits = new ArrayList<>();
		for (Object entry : list(answer.get(1))) {
			List<Object> values = list(entry);
			List<String> named = new ArrayList<>();
			for (int i = 9; i < values.size(); i++) {
				named.add(string(values.get(i)));
			}
			limits.add(new LimitState(string(values.get(0)), string(values.get(1)), string(values.get(2)),
					emptyToNull(string(values.get(3))), number(values.get(4)), number(values.get(5)),
					Duration.ofMillis(number(values.get(6))), number(values.get(7)), number(values.get(8)),
					List.copyOf(named)));
		}
		return new InUse((Long) answer.get(0), List.copyOf(limits));
	}

	/**
	 * Overrides a queue's limit across the fleet, in force from the next turn of every
	 * pool, and wakes the queue's idle workers.
	 * @param queue the queue
	 * @param limit the limit
	 * @param setBy who set it and when, as JSON
	 */
	public void overrideQueue(String queue, QueueLimit limit, String setBy) {
		script(this.queue, ScriptOutputType.INTEGER, List.of(queue,
				limit.concurrency() + " " + limit.rate() + " " + Math.max(1, limit.per().toMillis()), setBy));
	}

	/**
	 * Clears the run-time override of a queue's limit: the pools' configuration applies
	 * again.
	 * @param queue the queue
	 */
	public void clearQueue(String queue) {
		script(this.queue, ScriptOutputType.INTEGER, List.of(queue, "", ""));
	}

	/**
	 * Reads the run-time overrides of queue limits.
	 * @return by queue, the limit and who set it and when (JSON); an override that cannot
	 * be read, or past the first {@value #MAX_QUEUE_OVERRIDES}, is left out
	 */
	public Map<String, QueueOverride> queueOverrides() {
		Map<String, QueueOverride> overrides = new TreeMap<>();
		List<Object> values = list(
				script(this.overrides, ScriptOutputType.MULTI, List.of(Integer.toString(MAX_QUEUE_OVERRIDES))));
		for (int i = 0; i + 2 < values.size(); i += 3) {
			String queue = string(values.get(i));
			String[] numbers = string(values.get(i + 1)).split(" ");
			try {
				QueueLimit limit = new QueueLimit(Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]),
						Duration.ofMillis(Long.parseLong(numbers[2])));
				overrides.put(queue, new QueueOverride(limit, string(values.get(i + 2))));
			}
			catch (RuntimeException ex) {
				// Not one of ours: cycles.lua passes over it too.
			}
		}
		return overrides;
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private static long number(Object value) {
		if (value instanceof Long number) {
			return number;
		}
		try {
			return Long.parseLong(string(value));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * A run-time override of a queue's limit.
	 *
	 * @param limit the limit
	 * @param setBy who set it and when, as JSON, or {@code null}
	 */
	public record QueueOverride(QueueLimit limit, String setBy) {
	}

	/**
	 * One limit a job is under.
	 *
	 * @param id the limit's id, unique across the fleet (class or queue, index, key)
	 * @param concurrency how many jobs under it may run at once, or -1
	 * @param rate how many jobs under it may start per window, or -1
	 * @param per the rate's window
	 * @param kind {@code class} or {@code queue}
	 * @param name the class or queue name
	 * @param key the key's value, or {@code null} for a limit of the whole class or queue
	 */
	public record Slot(String id, int concurrency, int rate, Duration per, String kind, String name, String key) {
	}

	/**
	 * What {@link #acquire} did.
	 *
	 * @param kind admitted, blocked or gone
	 * @param limit the limit that had no room, when blocked
	 * @param reason {@code concurrency} or {@code rate}, when blocked
	 */
	public record Admission(Kind kind, String limit, String reason) {

		/** Every slot taken: run the job. */
		public static final Admission ADMITTED = new Admission(Kind.ADMITTED, null, null);

		/** The worker no longer holds the job: do not run it. */
		public static final Admission GONE = new Admission(Kind.GONE, null, null);

		/** The kinds of admission. */
		public enum Kind {

			/** Every slot taken. */
			ADMITTED,

			/** A limit had no room: the job waits in its list. */
			BLOCKED,

			/** The worker no longer holds the job. */
			GONE

		}

	}

	/**
	 * The limits in use across the fleet.
	 *
	 * @param total how many limits are in use (may exceed {@code limits})
	 * @param limits the limits read, by id
	 */
	public record InUse(long total, List<LimitState> limits) {
	}

	/**
	 * One limit in use: its definition as last written, its held slots and held-back
	 * jobs.
	 *
	 * @param id its id
	 * @param kind {@code class} or {@code queue}
	 * @param name the class or queue
	 * @param key the key's value, or {@code null}
	 * @param concurrency the concurrency, or -1
	 * @param rate the rate, or -1
	 * @param per the rate's window
	 * @param held how many slots are held
	 * @param waiting how many jobs it holds back
	 * @param holders some workers that hold a slot
	 */
	public record LimitState(String id, String kind, String name, String key, long concurrency, long rate, Duration per,
			long held, long waiting, List<String> holders) {
	}

}
