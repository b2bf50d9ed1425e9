package io.github.resquepool.resque;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

/**
 * Resque's worker records as Ruby keeps them ({@code workers}, {@code worker:<id>},
 * {@code worker:<id>:started}, {@code workers:heartbeat}), plus the pool's own set of the
 * workers it registered, and Ruby's pruning of dead workers.
 */
public final class WorkerStore extends RedisStore {

	private final LuaScript register = LuaScript.load("register");

	private final LuaScript unregister = LuaScript.load("unregister");

	private final LuaScript prune = LuaScript.load("prune");

	/** How long a prune through {@link #pruneDead} keeps others from pruning again. */
	public static final Duration PRUNE_LOCK_TTL = Duration.ofSeconds(60);

	private final ServerInfo server;

	WorkerStore(ResqueConnection connection, ResqueKeys keys, ServerInfo server) {
		super(connection, keys);
		this.server = server;
	}

	/**
	 * Registers workers as Ruby does at start-up (heartbeat, {@code workers},
	 * {@code worker:<id>:started}) and records them as the pool's.
	 * @param poolId the pool id
	 * @param started the registration time in Ruby's {@code Time#to_s} form
	 * @param workerIds the worker ids
	 */
	public void register(String poolId, String started, Collection<String> workerIds) {
		if (!workerIds.isEmpty()) {
			List<String> args = new ArrayList<>(List.of(poolId, started));
			args.addAll(workerIds);
			script(this.register, ScriptOutputType.VALUE, args);
		}
	}

	/**
	 * Unregisters workers as Ruby does and drops them from the pool's set. A job a worker
	 * still holds goes back to the head of its queue, or becomes a failure entry.
	 * @param poolId the pool id
	 * @param workerIds the worker ids
	 * @param requeue whether held jobs are requeued (else recorded as failures)
	 * @param exception the exception name of such failures ({@code Resque::DirtyExit})
	 * @return the ids of the workers that still held a job
	 */
	public List<String> unregister(String poolId, Collection<String> workerIds, boolean requeue, String exception) {
		if (workerIds.isEmpty()) {
			return List.of();
		}
		List<String> args = new ArrayList<>(
				List.of(poolId, requeue ? "requeue" : "fail", RubyTime.failedAtNow(), exception));
		args.addAll(workerIds);
		return stringList(script(this.unregister, ScriptOutputType.MULTI, args));
	}

	/**
	 * Prunes dead workers the way Ruby does, but only those whose heartbeat is still the
	 * value read and that belong to no pool which beat within {@code liveness}. A job
	 * such a worker still holds becomes a failure entry.
	 * @param expired worker id to the expired heartbeat value that was read
	 * @param liveness how recent a pool's beat must be for its workers to be left alone
	 * @param exception the failure's exception name
	 * ({@code Resque::PruneDeadWorkerDirtyExit})
	 * @return the pruned ids, and those of them that held a job
	 */
	public Pruned prune(Map<String, String> expired, Duration liveness, String exception) {
		if (expired.isEmpty()) {
			return new Pruned(List.of(), List.of());
		}
		List<String> args = new ArrayList<>(
				List.of(String.valueOf(liveness.toMillis()), RubyTime.failedAtNow(), exception));
		expired.forEach((id, value) -> {
			args.add(id);
			args.add(value);
		});
		List<Object> result = list(script(this.prune, ScriptOutputType.MULTI, args));
		return new Pruned(stringList(result.get(0)), stringList(result.get(1)));
	}

	/**
	 * Ruby's {@code prune_dead_workers} with the heartbeat rule, under Ruby's pruning
	 * lock: unless someone pruned within {@code lockTtl}, takes the lock, then prunes the
	 * workers whose heartbeat is older than {@code olderThan} by the Redis server's
	 * clock, as {@link #prune} does (never a worker of a pool that beat within
	 * {@code liveness}). Heartbeats that cannot be read are skipped.
	 * @param owner the id written into the lock
	 * @param lockTtl how long the lock holds
	 * @param olderThan the heartbeat age beyond which a worker is dead
	 * @param liveness how recent a pool's beat must be for its workers to be left alone
	 * @param exception the failure's exception name
	 * ({@code Resque::PruneDeadWorkerDirtyExit})
	 * @return what was pruned, or empty when another pruner holds the lock
	 */
	public Optional<Pruned> pruneDead(String owner, Duration lockTtl, Duration olderThan, Duration liveness,
			String exception) {
		return pruneDead(owner, lockTtl, olderThan, liveness, exception, (id, heartbeat) -> {
		});
	}

	/**
	 * Prunes dead workers as
	 * {@link #pruneDead(String, Duration, Duration, Duration, String)} does, telling of
	 * each heartbeat that cannot be read.
	 * @param owner the id written into the lock
	 * @param lockTtl how long the lock holds
	 * @param olderThan the heartbeat age beyond which a worker is dead
	 * @param liveness how recent a pool's beat must be for its workers to be left alone
	 * @param exception the failure's exception name
	 * @param unreadable told the worker id and the text of each heartbeat skipped
	 * @return what was pruned, or empty when another pruner holds the lock
	 */
	public Optional<Pruned> pruneDead(String owner, Duration lockTtl, Duration olderThan, Duration liveness,
			String exception, BiConsumer<String, String> unreadable) {
		if (!acquirePruneLock(owner, lockTtl)) {
			return Optional.empty();
		}
		long nowSeconds = this.server.timeMillis() / 1000;
		Map<String, String> expired = new LinkedHashMap<>();
		heartbeats().forEach((id, value) -> {
			Optional<Instant> beat = RubyTime.parse(value);
			if (beat.isEmpty()) {
				unreadable.accept(id, value);
			}
			else if (nowSeconds - beat.get().getEpochSecond() > olderThan.toSeconds()) {
				expired.put(id, value);
			}
		});
		return Optional.of(prune(expired, liveness, exception));
	}

	/**
	 * Reads workers' {@code worker:<id>} statuses in one round trip.
	 * @param workerIds the worker ids
	 * @return each one's status, in the same order: {@code null} without one, empty for
	 * an idle Ruby worker
	 */
	public List<String> statuses(List<String> workerIds) {
		if (workerIds.isEmpty()) {
			return List.of();
		}
		String[] keys = workerIds.stream().map(this.keys::worker).toArray(String[]::new);
		List<KeyValue<String, byte[]>> values = this.connection.call((c) -> c.mget(keys));
		return values.stream().map((kv) -> kv.hasValue() ? string(kv.getValue()) : null).toList();
	}

	/**
	 * What a prune did.
	 *
	 * @param workers the ids of the pruned workers
	 * @param withJobs those of them whose job became a failure entry
	 */
	public record Pruned(List<String> workers, List<String> withJobs) {
	}

	/**
	 * Takes Ruby's pruning lock ({@code SET NX EX}).
	 * @param owner the id written into the lock
	 * @param ttl how long it holds
	 * @return whether this caller got it
	 */
	public boolean acquirePruneLock(String owner, Duration ttl) {
		String ok = this.connection
			.call((c) -> c.set(this.keys.pruneLock(), bytes(owner), SetArgs.Builder.nx().ex(ttl.toSeconds())));
		return "OK".equals(ok);
	}

	/**
	 * @return every field of {@code workers:heartbeat}
	 */
	public Map<String, String> heartbeats() {
		Map<String, byte[]> raw = this.connection.call((c) -> c.hgetall(this.keys.heartbeats()));
		Map<String, String> result = new LinkedHashMap<>();
		raw.forEach((k, v) -> result.put(k, string(v)));
		return result;
	}

	/**
	 * @return the registered worker ids
	 */
	public Set<String> ids() {
		return strings(this.connection.call((c) -> c.smembers(this.keys.workers())));
	}

}
