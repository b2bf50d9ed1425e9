package io.github.resquepool.pool;

import java.time.Duration;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.ServerInfo;

/**
 * Chooses and starts how each group learns of jobs pushed by others (Ruby, Rails,
 * {@code redis-cli}), per {@code resque.pool.wake-up}, and says in the log which one each
 * group uses: blocking waiters for static queue lists, Redis' keyspace events for
 * {@code *} and globs when Redis publishes them (detected at start, optionally switched
 * on where {@code CONFIG} is allowed), else the poll. Runs on the supervisor thread.
 */
final class WakeUps {

	private static final Log logger = LogFactory.getLog(WakeUps.class);

	private final Consumer<String> enqueued;

	private final Duration pollInterval;

	private final ResqueRedis redis;

	private final WakeUp mode;

	private final boolean configureKeyspace;

	private volatile Boolean keyspace;

	WakeUps(Consumer<String> enqueued, Duration pollInterval, ResqueRedis redis, WakeUp mode,
			boolean configureKeyspace) {
		this.enqueued = enqueued;
		this.pollInterval = pollInterval;
		this.redis = redis;
		this.mode = mode;
		this.configureKeyspace = configureKeyspace;
	}

	/**
	 * Starts the wake-up of a group.
	 * @param group the group
	 */
	void arm(WorkerGroup group) {
		boolean dynamic = group.queues().isDynamic();
		String how;
		if (this.mode == WakeUp.POLL) {
			how = "the poll (resque.pool.wake-up=poll)";
		}
		else if (!dynamic && this.mode != WakeUp.KEYSPACE) {
			group.startWaiter(this.redis);
			how = "blocking waiters on " + group.queues().inclusions().size() + " queues";
		}
		else if (this.mode == WakeUp.BLOCKING) {
			how = "the poll (a queue list with * or globs cannot be watched by blocking waiters)";
		}
		else if (keyspaceEvents()) {
			subscribe();
			how = "Redis keyspace events";
		}
		else {
			how = "the poll (Redis publishes no list keyspace events; add 'notify-keyspace-events El' to redis.conf, "
					+ "or set resque.pool.configure-keyspace-events=true where CONFIG is allowed)";
		}
		logger.info("Group '" + group.name() + "' [" + group.queues() + "] wakes on jobs pushed by others through "
				+ how + ", and polls every " + this.pollInterval.toMillis() + " ms as a fallback");
	}

	/** Subscribes again after the connection was reopened; runs on every poll tick. */
	void keepSubscribed() {
		if (Boolean.TRUE.equals(this.keyspace) && !this.redis.keyspaceChannel().isSubscribed()) {
			subscribe();
		}
	}

	private void subscribe() {
		this.redis.keyspaceChannel().subscribe(this.enqueued);
	}

	private boolean keyspaceEvents() {
		Boolean known = this.keyspace;
		if (known != null) {
			return known;
		}
		String value = this.redis.server().keyspaceEvents();
		boolean on;
		if (value == null) {
			logger.info("Redis refuses CONFIG, so whether it publishes keyspace events is unknown; the pool "
					+ "subscribes to them anyway and polls as a fallback");
			on = true;
		}
		else if (ServerInfo.publishesListKeyEvents(value)) {
			on = true;
		}
		else if (this.configureKeyspace && this.redis.server().enableListKeyspaceEvents(value)) {
			logger.info("Switched on Redis keyspace events for lists (notify-keyspace-events was '" + value + "')");
			on = true;
		}
		else {
			on = false;
		}
		this.keyspace = on;
		return on;
	}

}
