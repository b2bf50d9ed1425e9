package io.github.resquepool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import io.github.resquepool.pool.WakeUp;

/**
 * Configuration of the Resque worker pool, {@code resque.pool.*}. Unknown keys fail the
 * start.
 */
@ConfigurationProperties(prefix = "resque.pool", ignoreUnknownFields = false)
public class ResquePoolProperties {

	/** Number of workers of the "default" group that runs when no group is configured. */
	public static final int DEFAULT_GROUP_COUNT = 5;

	/**
	 * Whether this process runs workers. With false it only enqueues (ResqueClient
	 * stays).
	 */
	private boolean enabled = true;

	/**
	 * Redis key prefix shared with Ruby Resque and resque-web, without the trailing
	 * colon.
	 */
	private String namespace = "resque";

	/**
	 * Worker groups by name. With none, one group "default" works every queue ("*") with
	 * 5 workers.
	 */
	private Map<String, Group> groups = new LinkedHashMap<>();

	/**
	 * Host name to use in worker ids instead of the one the kernel reports.
	 */
	private String hostname;

	/**
	 * Whether the pool starts paused.
	 */
	private boolean paused;

	/**
	 * Whether to print the workload this configuration would run (groups, counts after
	 * environment and fleet overrides, queue lists expanded against Redis) and exit
	 * without starting a worker.
	 */
	private boolean dryRun;

	/**
	 * Gap between two worker starts, to start workers one at a time. Zero starts all at
	 * once.
	 */
	private Duration startInterval = Duration.ZERO;

	/**
	 * Maximum time a stop waits for running jobs before it requeues them; must stay below
	 * spring.lifecycle.timeout-per-shutdown-phase (30s by default) minus 3s.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(25);

	/**
	 * Maximum number of workers over all groups, for configuration and for scaling at run
	 * time.
	 */
	private int maxWorkers = 200;

	/**
	 * How often an idle group looks for jobs enqueued by other clients (Ruby, redis-cli).
	 * Jobs enqueued through ResqueClient wake a worker at once.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * Largest job payload a worker takes to run; a larger one becomes a failure entry
	 * holding its first kilobyte, without being decoded or run.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(10);

	/**
	 * Interval between worker heartbeats in Redis, at most 60s (Ruby prunes workers whose
	 * heartbeat is older than 5 minutes).
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(30);

	/**
	 * Heartbeat age after which the pool's pruner unregisters a worker, as Ruby's
	 * prune_interval.
	 */
	private Duration pruneInterval = Duration.ofMinutes(5);

	/**
	 * Time without a beat after which live pools requeue the in-flight jobs of a dead
	 * pool.
	 */
	private Duration recoveryTimeout = Duration.ofSeconds(30);

	/**
	 * What happens to the jobs of a dead pool and to jobs cut off by a stop.
	 */
	private RecoveryMode recoveryMode = RecoveryMode.REQUEUE;

	/**
	 * Maximum run time of a job whose @ResqueJob declares no timeout. None by default.
	 */
	private Duration jobTimeout;

	/**
	 * How long a job that checkpoints runs before it stops at its next checkpoint and
	 * goes back to the tail of its queue, so that one long job cannot hold a worker while
	 * others wait. Jobs that never checkpoint are never cut by it. None by default.
	 */
	private Duration maxRunTime;

	/**
	 * How many jobs a worker thread runs before it is retired after its job and replaced
	 * by a fresh thread (against ThreadLocal leaks in job code). No limit by default.
	 */
	private Integer maxJobsPerWorker;

	/**
	 * Fleet-wide limits per queue, shared by every pool on the Redis: a concurrency such
	 * as 2 (at most 2 of the queue's jobs run at once; 0 holds the queue), a rate such as
	 * 100/1m (at most 100 starts per minute), or both, as "2, 100/1m".
	 */
	private Map<String, String> queueLimits = new LinkedHashMap<>();

	/**
	 * How long a cancelled job has to end before it is handled as a stuck job.
	 */
	private Duration cancelGrace = Duration.ofSeconds(10);

	/**
	 * Heap the pool may keep in use right after a garbage collection: a size such as
	 * 800MB, or a percentage of the maximum heap such as 85%. Above it the pool takes no
	 * new job; when it stays above for memory-limit-grace, the pool drains as on SIGTERM
	 * and the application exits with status 75, so that the platform starts a fresh one.
	 * None by default.
	 */
	private String memoryLimit;

	/**
	 * How long the heap after a garbage collection may stay above memory-limit before the
	 * pool drains and exits.
	 */
	private Duration memoryLimitGrace = Duration.ofMinutes(1);

	/**
	 * First wait before a crashed worker is replaced; doubles with each crash in a row.
	 */
	private Duration restartBackoff = Duration.ofSeconds(1);

	/**
	 * Longest wait before a crashed worker is replaced.
	 */
	private Duration maxRestartBackoff = Duration.ofSeconds(60);

	/**
	 * Maximum number of stuck threads (jobs that ignored their timeout's interrupt) a
	 * group may have and still get replacement workers; past it the group shrinks and its
	 * health is DOWN.
	 */
	private int maxStuckWorkers = 5;

	/**
	 * How idle workers learn of jobs pushed by others (Ruby, Rails, redis-cli): auto
	 * (blocking waiters for static queue lists, keyspace events for * and globs when
	 * Redis publishes them), poll, blocking or keyspace.
	 */
	private WakeUp wakeUp = WakeUp.AUTO;

	/**
	 * Whether the pool may switch on Redis' list keyspace events (CONFIG SET
	 * notify-keyspace-events) when they are off; never on a Redis that refuses CONFIG.
	 */
	private boolean configureKeyspaceEvents;

	/**
	 * Maximum time a Redis command may take before it counts as failed.
	 */
	private Duration commandTimeout = Duration.ofSeconds(5);

	private final Endpoint endpoint = new Endpoint();

	@NestedConfigurationProperty
	private final ClientProperties client = new ClientProperties();

	private final Fleet fleet = new Fleet();

	private final Signals signals = new Signals();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Map<String, Group> getGroups() {
		return this.groups;
	}

	public void setGroups(Map<String, Group> groups) {
		this.groups = groups;
	}

	public String getHostname() {
		return this.hostname;
	}

	public void setHostname(String hostname) {
		this.hostname = hostname;
	}

	public boolean isPaused() {
		return this.paused;
	}

	public void setPaused(boolean paused) {
		this.paused = paused;
	}

	public Duration getStartInterval() {
		return this.startInterval;
	}

	public void setStartInterval(Duration startInterval) {
		this.startInterval = startInterval;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public int getMaxWorkers() {
		return this.maxWorkers;
	}

	public void setMaxWorkers(int maxWorkers) {
		this.maxWorkers = maxWorkers;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getPruneInterval() {
		return this.pruneInterval;
	}

	public void setPruneInterval(Duration pruneInterval) {
		this.pruneInterval = pruneInterval;
	}

	public Duration getRecoveryTimeout() {
		return this.recoveryTimeout;
	}

	public void setRecoveryTimeout(Duration recoveryTimeout) {
		this.recoveryTimeout = recoveryTimeout;
	}

	public RecoveryMode getRecoveryMode() {
		return this.recoveryMode;
	}

	public void setRecoveryMode(RecoveryMode recoveryMode) {
		this.recoveryMode = recoveryMode;
	}

	public Duration getMaxRunTime() {
		return this.maxRunTime;
	}

	public void setMaxRunTime(Duration maxRunTime) {
		this.maxRunTime = maxRunTime;
	}

	public Map<String, String> getQueueLimits() {
		return this.queueLimits;
	}

	public void setQueueLimits(Map<String, String> queueLimits) {
		this.queueLimits = queueLimits;
	}

	public Integer getMaxJobsPerWorker() {
		return this.maxJobsPerWorker;
	}

	public void setMaxJobsPerWorker(Integer maxJobsPerWorker) {
		this.maxJobsPerWorker = maxJobsPerWorker;
	}

	public String getMemoryLimit() {
		return this.memoryLimit;
	}

	public void setMemoryLimit(String memoryLimit) {
		this.memoryLimit = memoryLimit;
	}

	public Duration getMemoryLimitGrace() {
		return this.memoryLimitGrace;
	}

	public void setMemoryLimitGrace(Duration memoryLimitGrace) {
		this.memoryLimitGrace = memoryLimitGrace;
	}

	public Duration getCancelGrace() {
		return this.cancelGrace;
	}

	public void setCancelGrace(Duration cancelGrace) {
		this.cancelGrace = cancelGrace;
	}

	public Duration getJobTimeout() {
		return this.jobTimeout;
	}

	public void setJobTimeout(Duration jobTimeout) {
		this.jobTimeout = jobTimeout;
	}

	public Duration getRestartBackoff() {
		return this.restartBackoff;
	}

	public void setRestartBackoff(Duration restartBackoff) {
		this.restartBackoff = restartBackoff;
	}

	public Duration getMaxRestartBackoff() {
		return this.maxRestartBackoff;
	}

	public void setMaxRestartBackoff(Duration maxRestartBackoff) {
		this.maxRestartBackoff = maxRestartBackoff;
	}

	public int getMaxStuckWorkers() {
		return this.maxStuckWorkers;
	}

	public void setMaxStuckWorkers(int maxStuckWorkers) {
		this.maxStuckWorkers = maxStuckWorkers;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	public boolean isDryRun() {
		return this.dryRun;
	}

	public void setDryRun(boolean dryRun) {
		this.dryRun = dryRun;
	}

	public Signals getSignals() {
		return this.signals;
	}

	public WakeUp getWakeUp() {
		return this.wakeUp;
	}

	public void setWakeUp(WakeUp wakeUp) {
		this.wakeUp = wakeUp;
	}

	public boolean isConfigureKeyspaceEvents() {
		return this.configureKeyspaceEvents;
	}

	public void setConfigureKeyspaceEvents(boolean configureKeyspaceEvents) {
		this.configureKeyspaceEvents = configureKeyspaceEvents;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public ClientProperties getClient() {
		return this.client;
	}

	/**
	 * One group of workers sharing a queue list.
	 */
	public static class Group {

		/**
		 * Queues in priority order, comma-separated: names, "*" for every queue of the
		 * queues set, globs ("file_*") and exclusions ("!low").
		 */
		private List<String> queues = new ArrayList<>(List.of("*"));

		/**
		 * Number of workers.
		 */
		private int count = 1;

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public int getCount() {
			return this.count;
		}

		public void setCount(int count) {
			this.count = count;
		}

	}

	/**
	 * The Actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * Whether the resquepool endpoint shows job arguments, which may hold personal
		 * data.
		 */
		private boolean showArgs;

		public boolean isShowArgs() {
			return this.showArgs;
		}

		public void setShowArgs(boolean showArgs) {
			this.showArgs = showArgs;
		}

	}

	/**
	 * What happens to a job whose worker died or was cut off by a stop.
	 */
	public enum RecoveryMode {

		/** Put it back at the head of its queue, to run again. */
		REQUEUE,

		/** Record a Resque::DirtyExit failure, as Ruby Resque does. */
		FAIL

	}

	/**
	 * Fleet control through Redis (the resquefleet endpoint and the ResqueFleet bean).
	 */
	public static class Fleet {

		/**
		 * How long a fleet write waits for the pools in its scope to acknowledge it.
		 */
		private Duration ackTimeout = Duration.ofSeconds(10);

		/**
		 * Maximum number of fleet writes that wait for acknowledgements at once; a write
		 * beyond them is stored and answers at once, without waiting.
		 */
		private int maxWaitingWrites = 16;

		public Duration getAckTimeout() {
			return this.ackTimeout;
		}

		public void setAckTimeout(Duration ackTimeout) {
			this.ackTimeout = ackTimeout;
		}

		public int getMaxWaitingWrites() {
			return this.maxWaitingWrites;
		}

		public void setMaxWaitingWrites(int maxWaitingWrites) {
			this.maxWaitingWrites = maxWaitingWrites;
		}

	}

	/**
	 * Unix signals, for a JVM run under systemd or Upstart.
	 */
	public static class Signals {

		/**
		 * Whether HUP reloads, TTIN and TTOU scale the only (or the default) group by
		 * one, USR2 pauses and CONT resumes the pool.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
