package io.github.resquepool.scheduler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;
import io.github.resquepool.resque.ScheduleStore;

/**
 * The recurring schedules the pool's scheduler fires while it holds the master lock: the
 * configured ones, published to {@code persistent_schedules} (so resque-web's Schedule
 * tab lists them and Ruby schedulers run them too), and, when dynamic, those persisted in
 * Redis by Ruby's {@code Resque.set_schedule(..., persist: true)} or by other pools.
 * Changes at run time follow the gem: {@link #set} and {@link #remove} persist and mark
 * the name in {@code schedules_changed}, which the master consumes. Each firing enqueues
 * only while this scheduler holds the lock (checked atomically with the push), so an
 * occurrence fires once across the fleet; missed occurrences are not caught up, as in the
 * gem.
 */
public class RecurringSchedules {

	private static final Log logger = LogFactory.getLog(RecurringSchedules.class);

	private final Map<String, ScheduleEntry> configured;

	private final Set<String> unpublished;

	private final boolean dynamic;

	private final Map<String, ScheduleEntry> active = new ConcurrentHashMap<>();

	private final Map<String, Instant> next = new ConcurrentHashMap<>();

	private final Set<String> reportedInvalid = ConcurrentHashMap.newKeySet();

	private volatile ScheduleStore store;

	private volatile MasterLock lock;

	private volatile SchedulerListener listener;

	private volatile Clock clock;

	private long lastChangeCheck;

	/** Creates an empty set of schedules that also runs those persisted in Redis. */
	public RecurringSchedules() {
		this(List.of(), Set.of(), true);
	}

	/**
	 * Creates schedules.
	 * @param configured the configured entries
	 * @param unpublished the names of configured entries not to publish
	 * @param dynamic whether entries persisted in Redis run too
	 */
	public RecurringSchedules(Collection<ScheduleEntry> configured, Set<String> unpublished, boolean dynamic) {
		Map<String, ScheduleEntry> byName = new LinkedHashMap<>();
		configured.forEach((entry) -> byName.put(entry.name(), entry));
		this.configured = byName;
		this.unpublished = Set.copyOf(unpublished);
		this.dynamic = dynamic;
	}

	static RecurringSchedules none() {
		return new RecurringSchedules(List.of(), Set.of(), false);
	}

	void attach(ResqueRedis redis, MasterLock lock, SchedulerListener listener, Clock clock) {
		this.store = redis.schedules();
		this.lock = lock;
		this.listener = listener;
		this.clock = clock;
	}

	/**
	 * Loads everything again when this scheduler becomes the master; forgets it when it
	 * stops.
	 */
	void masterChanged(boolean master) {
		this.next.clear();
		this.active.clear();
		if (!master) {
			return;
		}
		Instant now = this.clock.instant();
		this.configured.forEach((name, entry) -> {
			if (!this.unpublished.contains(name)) {
				this.store.persist(name, entry.toJson());
			}
			this.active.put(name, entry);
		});
		if (this.dynamic) {
			this.store.clearChanged();
			this.store.persisted().forEach((name, json) -> {
				if (!this.configured.containsKey(name)) {
					load(name, json);
				}
			});
		}
		this.active.forEach((name, entry) -> plan(entry, () -> entry.first(now)));
	}

	/**
	 * Plans an entry's next firing; an entry whose times cannot be computed (an interval
	 * that overflows the calendar, say) is reported once and dropped, so it never stops
	 * the others.
	 */
	private void plan(ScheduleEntry entry, Supplier<Instant> firing) {
		try {
			this.next.put(entry.name(), firing.get());
		}
		catch (RuntimeException ex) {
			this.active.remove(entry.name());
			this.next.remove(entry.name());
			if (this.reportedInvalid.add(entry.name())) {
				logger.error("Recurring schedule '" + entry.name() + "' cannot be planned (" + ex
						+ "); it is skipped, the other schedules fire");
			}
		}
	}

	/**
	 * Fires the schedules that are due and takes in changed ones.
	 * @param nowMillis the current time
	 * @return when the next firing is due
	 */
	long fireDue(long nowMillis) {
		if (this.store == null) {
			return Long.MAX_VALUE;
		}
		if (this.dynamic && nowMillis - this.lastChangeCheck >= 1000) {
			this.lastChangeCheck = nowMillis;
			for (String name : this.store.popChanged(100)) {
				reload(name);
			}
		}
		Instant now = Instant.ofEpochMilli(nowMillis);
		long earliest = Long.MAX_VALUE;
		for (Map.Entry<String, Instant> planned : this.next.entrySet()) {
			ScheduleEntry entry = this.active.get(planned.getKey());
			if (entry == null) {
				continue;
			}
			Instant at = planned.getValue();
			if (!at.isAfter(now)) {
				fire(entry);
				Instant fired = at;
				plan(entry, () -> entry.next(fired, now));
				at = this.next.get(entry.name());
				if (at == null) {
					continue;
				}
			}
			earliest = Math.min(earliest, at.toEpochMilli());
		}
		return earliest;
	}

	private void fire(ScheduleEntry entry) {
		String now = RubyTime.timeToS(this.clock.instant().atZone(ZoneId.systemDefault()));
		if (this.store.fire(this.lock.key(), this.lock.value(), entry.name(), entry.queue(), entry.payload(), now)) {
			this.listener.scheduleFired(entry.name());
		}
	}

	private void reload(String name) {
		String json = this.store.persisted().get(name);
		this.active.remove(name);
		this.next.remove(name);
		if (json != null) {
			load(name, json);
		}
		else if (this.configured.containsKey(name) && this.unpublished.contains(name)) {
			this.active.put(name, this.configured.get(name));
		}
		ScheduleEntry entry = this.active.get(name);
		if (entry != null) {
			Instant now = this.clock.instant();
			plan(entry, () -> entry.first(now));
		}
	}

	private void load(String name, String json) {
		try {
			this.active.put(name, ScheduleEntry.fromJson(name, json));
			this.reportedInvalid.remove(name);
		}
		catch (InvalidScheduleException ex) {
			if (this.reportedInvalid.add(name)) {
				logger.error(ex.getMessage() + "; it is skipped (a Ruby scheduler would stop on it): " + json);
			}
		}
	}

	/**
	 * Adds or changes a schedule at run time, as {@code Resque.set_schedule(name, config,
	 * persist: true)}: it is persisted and marked changed, so the master, Java or Ruby,
	 * runs it.
	 * @param entry the schedule
	 */
	public void set(ScheduleEntry entry) {
		requireAttached().persist(entry.name(), entry.toJson());
		if (this.lock.held()) {
			this.active.put(entry.name(), entry);
			Instant now = this.clock.instant();
			plan(entry, () -> entry.first(now));
		}
	}

	/**
	 * Removes a schedule at run time, as {@code Resque.remove_schedule(name)}.
	 * @param name the schedule's name
	 */
	public void remove(String name) {
		requireAttached().remove(name);
		this.active.remove(name);
		this.next.remove(name);
	}

	/**
	 * @return the names of the schedules this scheduler runs (while master) or would run
	 */
	public Set<String> names() {
		Set<String> names = new TreeSet<>(this.configured.keySet());
		names.addAll(this.active.keySet());
		return names;
	}

	/**
	 * @param name a schedule's name
	 * @return when it fires next, or {@code null} when this scheduler does not run it now
	 */
	public Instant nextFiring(String name) {
		return this.next.get(name);
	}

	private ScheduleStore requireAttached() {
		if (this.store == null) {
			throw new IllegalStateException("the schedules are not attached to a scheduler");
		}
		return this.store;
	}

}
