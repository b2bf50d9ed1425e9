package io.github.resquepool.resque;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;

/**
 * The pools' own liveness records under {@code <namespace>:resquepool:}: who beats, who
 * went silent, and the recovery of a dead pool's jobs.
 */
public final class PoolStore extends RedisStore {

	private final LuaScript heartbeat = LuaScript.load("heartbeat");

	private final LuaScript recover = LuaScript.load("recover");

	private final ServerInfo server;

	PoolStore(ResqueConnection connection, ResqueKeys keys, ServerInfo server) {
		super(connection, keys);
		this.server = server;
	}

	/**
	 * The pool's beat: its liveness score and, when worker ids are given, one heartbeat
	 * for all of them.
	 * @param poolId the pool id
	 * @param info a JSON description of the pool
	 * @param workerIds the worker ids, or none for a beat of the pool alone
	 * @return the worker ids no longer registered, and whether Redis still knew the pool
	 */
	public Beat beat(String poolId, String info, Collection<String> workerIds) {
		List<String> args = new ArrayList<>(List.of(poolId, info));
		args.addAll(workerIds);
		List<Object> result = list(script(this.heartbeat, ScriptOutputType.MULTI, args));
		return new Beat(stringList(result.get(1)), Long.valueOf(1).equals(result.get(2)));
	}

	/**
	 * What a beat found.
	 *
	 * @param unregistered worker ids that are no longer registered (removed by a pruner,
	 * or lost by a restarted Redis)
	 * @param poolKnown whether Redis still had the pool's record before the beat
	 */
	public record Beat(List<String> unregistered, boolean poolKnown) {
	}

	/**
	 * Lists the pools whose last beat is older than a timeout, by Redis time.
	 * @param timeout the time without a beat after which a pool is dead
	 * @return the ids of those pools
	 */
	public List<String> silent(Duration timeout) {
		long now = this.server.timeMillis();
		return stringList(this.connection
			.call((c) -> c.zrangebyscore(this.keys.pools(), Range.create(0, now - timeout.toMillis()))));
	}

	/**
	 * @return the ids of every pool with a liveness record
	 */
	public List<String> ids() {
		return stringList(this.connection.call((c) -> c.zrange(this.keys.pools(), 0, -1)));
	}

	/**
	 * @param poolId a pool id
	 * @return the ids of the workers the pool registered
	 */
	public Set<String> workers(String poolId) {
		return strings(this.connection.call((c) -> c.smembers(this.keys.poolWorkers(poolId))));
	}

	/**
	 * Recovers a pool that stopped beating (atomic: of several callers exactly one does
	 * it).
	 * @param poolId the silent pool
	 * @param timeout the time without a beat after which it is dead; zero for a pool
	 * known dead
	 * @param failedAt {@code failed_at} for failure entries
	 * @param requeue whether to requeue its jobs at the head of their queues, else record
	 * {@code Resque::DirtyExit} failures
	 * @return what was recovered, or {@code null} when the pool is alive or already
	 * recovered
	 */
	public Recovery recover(String poolId, Duration timeout, String failedAt, boolean requeue) {
		List<Object> result = list(script(this.recover, ScriptOutputType.MULTI,
				List.of(poolId, String.valueOf(timeout.toMillis()), requeue ? "requeue" : "fail", failedAt)));
		if (result.isEmpty() || result.get(0) == null) {
			return null;
		}
		List<Object> jobs = list(result.get(1));
		List<Recovery.Job> recovered = new ArrayList<>();
		for (int i = 0; i + 2 < jobs.size(); i += 3) {
			recovered.add(new Recovery.Job(string(jobs.get(i)), string(jobs.get(i + 1)), string(jobs.get(i + 2))));
		}
		return new Recovery(poolId, ((Long) result.get(0)).intValue(), recovered);
	}

	/**
	 * Reads a pool's description hash.
	 * @param poolId a pool id
	 * @return the pool's hash
	 */
	public Map<String, String> describe(String poolId) {
		Map<String, byte[]> raw = this.connection.call((c) -> c.hgetall(this.keys.pool(poolId)));
		Map<String, String> result = new LinkedHashMap<>();
		raw.forEach((k, v) -> result.put(k, string(v)));
		return result;
	}

}
