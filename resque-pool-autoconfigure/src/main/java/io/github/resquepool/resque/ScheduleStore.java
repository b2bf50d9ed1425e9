package io.github.resquepool.resque;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.ScriptOutputType;

/**
 * resque-scheduler's recurring schedules in Redis: {@code persistent_schedules} (name to
 * encoded config, what {@code Resque.set_schedule(name, config, persist: true)} writes
 * and resque-web's Schedule tab lists), the {@code schedules_changed} notification set,
 * and {@code delayed:last_enqueued_at}.
 */
public final class ScheduleStore extends RedisStore {

	private final LuaScript fire = LuaScript.load("fire_schedule");

	ScheduleStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * @return the persisted schedules, name to encoded config
	 */
	public Map<String, String> persisted() {
		Map<String, byte[]> all = this.connection.call((c) -> c.hgetall(this.keys.key("persistent_schedules")));
		Map<String, String> result = new LinkedHashMap<>();
		all.forEach((name, value) -> result.put(name, string(value)));
		return result;
	}

	/**
	 * Persists a schedule as {@code Resque.set_schedule(name, config, persist: true)}
	 * does: HSET {@code persistent_schedules}, SADD {@code schedules_changed}; nothing
	 * when it is stored so.
	 * @param name the schedule's name
	 * @param config the encoded config
	 * @return whether anything changed
	 */
	public boolean persist(String name, String config) {
		String current = string(this.connection.call((c) -> c.hget(this.keys.key("persistent_schedules"), name)));
		if (config.equals(current)) {
			return false;
		}
		this.connection.call((c) -> c.hset(this.keys.key("persistent_schedules"), name, bytes(config)));
		this.connection.call((c) -> c.sadd(this.keys.key("schedules_changed"), bytes(name)));
		return true;
	}

	/**
	 * Removes a schedule as {@code Resque.remove_schedule(name)} does: HDEL, SADD
	 * {@code schedules_changed}.
	 * @param name the schedule's name
	 */
	public void remove(String name) {
		this.connection.call((c) -> c.hdel(this.keys.key("persistent_schedules"), name));
		this.connection.call((c) -> c.sadd(this.keys.key("schedules_changed"), bytes(name)));
	}

	/**
	 * Takes the names of changed schedules, as the gem's master does each pass.
	 * @param count the most to take
	 * @return the names
	 */
	public Set<String> popChanged(int count) {
		return strings(this.connection.call((c) -> c.spop(this.keys.key("schedules_changed"), count)));
	}

	/** Clears the changed names, as the gem does on a full reload. */
	public void clearChanged() {
		this.connection.call((c) -> c.del(this.keys.key("schedules_changed")));
	}

	/**
	 * @param name a schedule's name
	 * @return its {@code delayed:last_enqueued_at} value, or {@code null}
	 */
	public String lastEnqueuedAt(String name) {
		return string(this.connection.call((c) -> c.hget(this.keys.key("delayed:last_enqueued_at"), name)));
	}

	/**
	 * Fires a schedule, only while {@code lockValue} holds the master lock.
	 * @param lockKey the master lock key without prefix
	 * @param lockValue this scheduler's lock value
	 * @param name the schedule's name
	 * @param queue the queue
	 * @param payload the job payload
	 * @param now the time as Ruby's {@code Time.now.to_s} writes it
	 * @return whether it fired
	 */
	public boolean fire(String lockKey, String lockValue, String name, String queue, String payload, String now) {
		return Long.valueOf(1)
			.equals(script(this.fire, ScriptOutputType.INTEGER,
					List.of(lockKey, lockValue, queue, payload, name, now)));
	}

}
