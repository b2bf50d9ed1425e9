package io.github.resquepool.resque;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import tools.jackson.databind.JsonNode;

/**
 * The checkpoints of long jobs: a cursor and a progress per job, in a hash at
 * {@code resquepool:checkpoint:<class>:<sha1>}, where the SHA-1 is that of the job's
 * arguments as Ruby's JSON writes them. A job is known by its class and arguments, as
 * resque-retry and resque-loner know it, since that is all that survives every way a
 * Resque job travels (a requeue, a dead pool's recovery, resque-web's Retry of a failure
 * entry, a retry through the delayed queue): the payload itself is never changed, so Ruby
 * Resque and resque-web see the job as it was enqueued. Two identical jobs share one
 * checkpoint.
 * <p>
 * A write goes through only while the writing worker still holds the job at
 * {@code worker:<id>}; the key lives {@link #DEFAULT_TTL} after its last write and is
 * deleted when the job succeeds (by {@code cycles.lua}, with the outcome).
 */
public final class CheckpointStore extends RedisStore {

	/** How long a checkpoint outlives its last write. */
	public static final Duration DEFAULT_TTL = Duration.ofDays(30);

	private static final String PREFIX = "resquepool:checkpoint:";

	private static final String[] FIELDS = { "cursor", "at", "worker", "done", "total", "message", "progress_at" };

	private final LuaScript save = LuaScript.load("checkpoint");

	CheckpointStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Names the checkpoint of a job.
	 * @param className the job's class
	 * @param args its arguments, or {@code null} for none
	 * @return the key without the namespace
	 */
	public static String key(String className, JsonNode args) {
		String rendered = RubyJson.write(RubyJson.asArray(args));
		return PREFIX + className + ":" + Sha1.hex(rendered);
	}

	/**
	 * Saves a job's cursor, while its worker still holds it.
	 * @param workerId the worker
	 * @param statusSha the SHA-1 of the job's working status
	 * @param key the job's checkpoint key ({@link #key})
	 * @param cursor the cursor as JSON text
	 * @return when it was saved (Redis time), or empty when the worker no longer holds
	 * the job
	 */
	public Optional<Instant> saveCursor(String workerId, String statusSha, String key, String cursor) {
		return write(workerId, statusSha, key, "at", List.of("cursor", cursor));
	}

	/**
	 * Saves a job's progress, while its worker still holds it.
	 * @param workerId the worker
	 * @param statusSha the SHA-1 of the job's working status
	 * @param key the job's checkpoint key ({@link #key})
	 * @param done how many units are done
	 * @param total how many there are, 0 when unknown
	 * @param message what it is doing, or {@code null}
	 * @return when it was saved (Redis time), or empty when the worker no longer holds
	 * the job
	 */
	public Optional<Instant> saveProgress(String workerId, String statusSha, String key, long done, long total,
			String message) {
		return write(workerId, statusSha, key, "progress_at", List.of("done", Long.toString(done), "total",
				Long.toString(total), "message", (message != null) ? message : ""));
	}

	private Optional<Instant> write(String workerId, String statusSha, String key, String timeField,
			List<String> pairs) {
		List<String> args = new ArrayList<>(
				List.of(workerId, statusSha, key, Long.toString(DEFAULT_TTL.toMillis()), timeField));
		args.addAll(pairs);
		Object at = script(this.save, ScriptOutputType.INTEGER, args);
		long millis = (at instanceof Long value) ? value : 0;
		return (millis > 0) ? Optional.of(Instant.ofEpochMilli(millis)) : Optional.empty();
	}

	/**
	 * Reads a job's checkpoint.
	 * @param key the job's checkpoint key ({@link #key})
	 * @return the checkpoint, or empty when the job saved none (or it expired)
	 */
	public Optional<Checkpoint> read(String key) {
		// The known fields only: whatever else anyone wrote into the hash is never read.
		List<KeyValue<String, byte[]>> values = this.connection.call((c) -> c.hmget(this.keys.key(key), FIELDS));
		Map<String, byte[]> hash = new HashMap<>();
		values.stream().filter(KeyValue::hasValue).forEach((field) -> hash.put(field.getKey(), field.getValue()));
		if (hash.isEmpty()) {
			return Optional.empty();
		}
		Checkpoint.Progress progress = null;
		if (hash.containsKey("progress_at")) {
			String message = string(hash.get("message"));
			progress = new Checkpoint.Progress(number(hash.get("done")), number(hash.get("total")),
					(message == null || message.isEmpty()) ? null : message, millis(hash.get("progress_at")));
		}
		return Optional.of(new Checkpoint(string(hash.get("cursor")),
				hash.containsKey("cursor") ? millis(hash.get("at")) : null, string(hash.get("worker")), progress));
	}

	private static Instant millis(byte[] value) {
		long millis = number(value);
		return (millis > 0) ? Instant.ofEpochMilli(millis) : null;
	}

}
