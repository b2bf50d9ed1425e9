package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.ScriptOutputType;

/**
 * The fleet's records under {@code <namespace>:resquepool:fleet:}: the stored overrides
 * (one hash field per kind and scope, each a JSON object with its sequence number), the
 * fleet's version, and the pools' self-descriptions; plus the resque-pause gem's queue
 * pause keys (<code>&lt;namespace&gt;:pause:queue:&lt;q&gt;</code>,
 * {@code <namespace>:pause:all}), which Ruby tools read and write too.
 */
public final class FleetStore extends RedisStore {

	/**
	 * How many queues one script call looks at: a round trip per 500, never one long
	 * script.
	 */
	private static final int PAUSED_CHUNK = 500;

	private final LuaScript write = LuaScript.load("fleet-write");

	private final LuaScript reset = LuaScript.load("fleet-reset");

	private final LuaScript read = LuaScript.load("fleet-read");

	private final LuaScript pools = LuaScript.load("fleet-pools");

	private final LuaScript paused = LuaScript.load("fleet-paused");

	FleetStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Stores an override, replacing the one in the same field, and tells every pool.
	 * @param field the hash field (kind family and scope)
	 * @param jsonWithoutSeq the override as a JSON object, without {@code seq}
	 * @return the sequence number it got and the fleet's new version
	 */
	public long[] write(String field, String jsonWithoutSeq) {
		List<Object> result = list(script(this.write, ScriptOutputType.MULTI, List.of(field, jsonWithoutSeq)));
		return new long[] { (Long) result.get(0), (Long) result.get(1) };
	}

	/**
	 * Drops overrides and tells every pool.
	 * @param fields the hash fields to drop
	 * @return the fleet's new version
	 */
	public long reset(List<String> fields) {
		return (Long) script(this.reset, ScriptOutputType.INTEGER, fields);
	}

	/**
	 * Reads the fleet's version and overrides together.
	 * @return the version and the raw overrides by field
	 */
	public Stored read() {
		List<String> values = stringList(script(this.read, ScriptOutputType.MULTI, List.of()));
		Map<String, String> overrides = new LinkedHashMap<>();
		for (int i = 1; i + 1 < values.size(); i += 2) {
			overrides.put(values.get(i), values.get(i + 1));
		}
		return new Stored(Long.parseLong(values.get(0)), overrides);
	}

	/**
	 * The stored overrides as read.
	 *
	 * @param version the fleet's version
	 * @param overrides the raw JSON of each override by hash field
	 */
	public record Stored(long version, Map<String, String> overrides) {
	}

	/**
	 * @return the fleet's version alone (one {@code GET})
	 */
	public long version() {
		String value = string(this.connection.call((c) -> c.get(this.keys.key("resquepool:fleet:version"))));
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/**
	 * Reads every pool's liveness record and self-description in one step.
	 * @return the time of Redis now and the pools
	 */
	public Pools pools() {
		List<String> values = stringList(script(this.pools, ScriptOutputType.MULTI, List.of()));
		List<PoolRecord> records = new ArrayList<>();
		for (int i = 1; i + 2 < values.size(); i += 3) {
			records.add(new PoolRecord(values.get(i), (long) Double.parseDouble(values.get(i + 1)), values.get(i + 2)));
		}
		return new Pools(Long.parseLong(values.get(0)), records);
	}

	/**
	 * The pools as read.
	 *
	 * @param nowMillis Redis' time when they were read
	 * @param records one record per pool
	 */
	public record Pools(long nowMillis, List<PoolRecord> records) {
	}

	/**
	 * One pool's liveness record.
	 *
	 * @param id the pool id
	 * @param beatMillis its last beat, Redis time
	 * @param info its self-description (JSON), empty when it has none
	 */
	public record PoolRecord(String id, long beatMillis, String info) {
	}

	/**
	 * Pauses a queue the way the resque-pause gem does.
	 * @param queue the queue
	 * @param value the value stored (resque-pause reads only whether the key exists)
	 */
	public void pauseQueue(String queue, String value) {
		this.connection.call((c) -> c.set(this.keys.key("pause:queue:" + queue), bytes(value)));
	}

	/**
	 * Resumes a queue paused with {@link #pauseQueue} or by Ruby.
	 * @param queue the queue
	 */
	public void resumeQueue(String queue) {
		this.connection.call((c) -> c.del(this.keys.key("pause:queue:" + queue)));
	}

	/**
	 * @param queues queue names
	 * @return those of them paused with resque-pause's key, looked up 500 queues a script
	 * call
	 */
	public Set<String> pausedQueues(Iterable<String> queues) {
		Set<String> paused = new TreeSet<>();
		List<String> chunk = new ArrayList<>(PAUSED_CHUNK);
		for (String queue : queues) {
			chunk.add(queue);
			if (chunk.size() == PAUSED_CHUNK) {
				paused.addAll(stringList(script(this.paused, ScriptOutputType.MULTI, chunk)));
				chunk.clear();
			}
		}
		if (!chunk.isEmpty()) {
			paused.addAll(stringList(script(this.paused, ScriptOutputType.MULTI, chunk)));
		}
		return paused;
	}

	/**
	 * @return whether resque-pause's {@code pause:all} key is set
	 */
	public boolean allQueuesPaused() {
		Long exists = this.connection.call((c) -> c.exists(this.keys.key("pause:all")));
		return exists != null && exists > 0;
	}

}
