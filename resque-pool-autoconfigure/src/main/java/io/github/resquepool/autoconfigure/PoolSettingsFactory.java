package io.github.resquepool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

import io.github.resquepool.autoconfigure.ResquePoolProperties.RecoveryMode;
import io.github.resquepool.pool.GroupSettings;
import io.github.resquepool.pool.JobLimits;
import io.github.resquepool.pool.MemoryLimit;
import io.github.resquepool.pool.PoolSettings;
import io.github.resquepool.resque.QueueLimit;
import io.github.resquepool.resque.QueueSpec;

/**
 * Validates {@code resque.pool.*} and turns it into {@link PoolSettings}, at start-up and
 * again for each reload (binding the properties afresh from the {@link Environment}).
 */
final class PoolSettingsFactory {

	private static final String PREFIX = "resque.pool.";

	private static final Duration DRAIN_MARGIN = Duration.ofSeconds(3);

	private final Environment environment;

	PoolSettingsFactory(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Binds {@code resque.pool.*} from the environment as it is now, unknown keys
	 * refused.
	 * @return the validated settings
	 * @throws InvalidResquePoolPropertyException when a value is invalid
	 */
	PoolSettings reload() {
		ResquePoolProperties properties;
		try {
			properties = Binder.get(this.environment)
				.bind("resque.pool", Bindable.of(ResquePoolProperties.class),
						new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
				.orElseGet(ResquePoolProperties::new);
		}
		catch (BindException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new InvalidResquePoolPropertyException(ex.getName().toString(), "?", cause.getMessage(),
					"Fix or remove the property.");
		}
		return create(properties);
	}

	/**
	 * Validates bound properties.
	 * @param p the properties
	 * @return the settings
	 * @throws InvalidResquePoolPropertyException when a value is invalid
	 */
	PoolSettings create(ResquePoolProperties p) {
		checkNamespace(p.getNamespace());
		Map<String, GroupSettings> groups = new LinkedHashMap<>();
		if (p.getGroups().isEmpty()) {
			groups.put("default",
					new GroupSettings("default", QueueSpec.parse("*"), ResquePoolProperties.DEFAULT_GROUP_COUNT));
		}
		p.getGroups().forEach((name, group) -> groups.put(name, group(name, group)));
		int total = groups.values().stream().mapToInt(GroupSettings::count).sum();
		require(p.getMaxWorkers() >= 1, "max-workers", p.getMaxWorkers(), "must be at least 1",
				"Set a positive maximum.");
		require(total <= p.getMaxWorkers(), "max-workers", p.getMaxWorkers(),
				"the groups ask for " + total + " workers in all, more than the maximum",
				"Lower the groups' counts or raise resque.pool.max-workers.");
		require(!p.getStartInterval().isNegative(), "start-interval", p.getStartInterval(), "must not be negative",
				"Use 0 to start all workers at once.");
		require(!p.getPollInterval().isNegative() && p.getPollInterval().toMillis() >= 10, "poll-interval",
				p.getPollInterval(), "must be at least 10ms", "Use a value such as 1s.");
		require(p.getHeartbeatInterval().toMillis() >= 100
				&& p.getHeartbeatInterval().compareTo(Duration.ofSeconds(60)) <= 0, "heartbeat-interval",
				p.getHeartbeatInterval(),
				"must be between 100ms and 60s (Ruby prunes workers whose heartbeats stop for 5 minutes)",
				"Use a value such as 30s.");
		require(p.getPruneInterval().compareTo(p.getHeartbeatInterval().multipliedBy(2)) >= 0, "prune-interval",
				p.getPruneInterval(), "must be at least twice resque.pool.heartbeat-interval",
				"Use Ruby's default, 5m, or more.");
		require(p.getRecoveryTimeout().toMillis() >= 3000, "recovery-timeout", p.getRecoveryTimeout(),
				"must be at least 3s so that a live pool is never taken for dead", "Use a value such as 30s.");
		require(p.getJobTimeout() == null || p.getJobTimeout().toMillis() > 0, "job-timeout", p.getJobTimeout(),
				"must be positive", "Remove it for no timeout.");
		require(p.getRestartBackoff().toMillis() > 0 && p.getRestartBackoff().compareTo(p.getMaxRestartBackoff()) <= 0,
				"restart-backoff", p.getRestartBackoff(),
				"must be positive and at most resque.pool.max-restart-backoff", "Use values such as 1s and 60s.");
		require(p.getCommandTimeout().toMillis() >= 100, "command-timeout", p.getCommandTimeout(),
				"must be at least 100ms", "Use a value such as 5s.");
		require(p.getMaxStuckWorkers() >= 0, "max-stuck-workers", p.getMaxStuckWorkers(), "must be 0 or more",
				"Use a value such as 5.");
		require(p.getMaxRunTime() == null || p.getMaxRunTime().toMillis() > 0, "max-run-time", p.getMaxRunTime(),
				"must be positive", "Remove it for no limit.");
		require(p.getMaxJobsPerWorker() == null || p.getMaxJobsPerWorker() > 0, "max-jobs-per-worker",
				p.getMaxJobsPerWorker(), "must be 1 or more", "Remove it for no limit.");
		require(p.getCancelGrace() != null && !p.getCancelGrace().isNegative(), "cancel-grace", p.getCancelGrace(),
				"must be zero or more", "Use a value such as 10s.");
		checkShutdownTimeout(p.getShutdownTimeout());
		JobLimits jobLimits = new JobLimits(p.getMaxRunTime(),
				(p.getMaxJobsPerWorker() != null) ? p.getMaxJobsPerWorker() : 0, p.getCancelGrace(), memoryLimit(p),
				queueLimits(p));
		return new PoolSettings(groups, p.isPaused(), p.getStartInterval(), p.getShutdownTimeout(), p.getMaxWorkers(),
				p.getPollInterval(), p.getHeartbeatInterval(), p.getPruneInterval(), p.getRecoveryTimeout(),
				p.getRecoveryMode() == RecoveryMode.REQUEUE, p.getJobTimeout(), p.getRestartBackoff(),
				p.getMaxRestartBackoff(), Threading.VIRTUAL.isActive(this.environment), p.getMaxStuckWorkers(),
				p.getWakeUp(), p.isConfigureKeyspaceEvents(), jobLimits);
	}

	private static Map<String, QueueLimit> queueLimits(ResquePoolProperties p) {
		Map<String, QueueLimit> limits = new LinkedHashMap<>();
		p.getQueueLimits().forEach((queue, value) -> {
			String property = "queue-limits." + queue;
			require(!queue.isBlank() && !queue.contains(":") && queue.chars().noneMatch(Character::isWhitespace),
					property, value, "'" + queue + "' is not a queue name", "Name a queue, such as exports.");
			try {
				limits.put(queue, QueueLimit.parse(value));
			}
			catch (IllegalArgumentException ex) {
				require(false, property, value, ex.getMessage(),
						"Use a concurrency such as 2 (0 holds the queue), a rate such as 100/1m, or both: 2, 100/1m.");
			}
		});
		return limits;
	}

	private static MemoryLimit memoryLimit(ResquePoolProperties p) {
		require(p.getMemoryLimitGrace() != null && !p.getMemoryLimitGrace().isNegative(), "memory-limit-grace",
				p.getMemoryLimitGrace(), "must be zero or more", "Use a value such as 1m.");
		if (p.getMemoryLimit() == null || p.getMemoryLimit().isBlank()) {
			return null;
		}
		try {
			return MemoryLimit.parse(p.getMemoryLimit(), p.getMemoryLimitGrace(), Runtime.getRuntime().maxMemory());
		}
		catch (IllegalArgumentException ex) {
			require(false, "memory-limit", p.getMemoryLimit(), ex.getMessage(),
					"Use a size such as 800MB or a share of the maximum heap such as 85%.");
			return null;
		}
	}

	private GroupSettings group(String name, ResquePoolProperties.Group group) {
		String property = "groups." + name;
		require(!name.isBlank() && name.chars().noneMatch(Character::isWhitespace), property, name,
				"a group name must not be blank or hold spaces", "Rename the group.");
		require(group.getCount() >= 0, property + ".count", group.getCount(), "must be 0 or more",
				"Set the number of workers of the group, 0 to run none.");
		List<String> queues = group.getQueues();
		try {
			return new GroupSettings(name, QueueSpec.parse(queues), group.getCount());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidResquePoolPropertyException(PREFIX + property + ".queues",
					(queues != null) ? String.join(",", queues) : "", ex.getMessage(),
					"List queues in priority order, for example \"high,normal\", or \"*\" for every queue.");
		}
	}

	static void checkNamespace(String namespace) {
		if (namespace == null || namespace.chars().anyMatch((c) -> Character.isWhitespace(c))
				|| namespace.endsWith(":")) {
			throw new InvalidResquePoolPropertyException(PREFIX + "namespace", namespace,
					"must not hold spaces or end with ':'", "Use Resque's default, resque, or your app's namespace.");
		}
	}

	private void checkShutdownTimeout(Duration timeout) {
		Duration phase = Binder.get(this.environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		require(!timeout.isNegative(), "shutdown-timeout", timeout, "must not be negative", "Use a value such as 25s.");
		require(timeout.plus(DRAIN_MARGIN).compareTo(phase) <= 0, "shutdown-timeout", timeout,
				"must stay at least " + DRAIN_MARGIN.toSeconds()
						+ "s below spring.lifecycle.timeout-per-shutdown-phase (" + phase.toSeconds()
						+ "s), or Spring stops waiting before the pool has requeued cut-off jobs",
				"Lower resque.pool.shutdown-timeout or raise spring.lifecycle.timeout-per-shutdown-phase.");
	}

	private static void require(boolean valid, String property, Object value, String reason, String action) {
		if (!valid) {
			throw new InvalidResquePoolPropertyException(property.startsWith(PREFIX) ? property : PREFIX + property,
					value, reason, action);
		}
	}

}
