package io.github.resquepool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the pool's resque-scheduler peer: delayed jobs and recurring
 * schedules.
 */
@ConfigurationProperties(prefix = "resque.scheduler", ignoreUnknownFields = false)
public class ResqueSchedulerProperties {

	/** Whether the pool runs a scheduler (when the pool itself is enabled). */
	private boolean enabled = true;

	/**
	 * How often the master lock is taken or renewed and the earliest delayed bucket read
	 * again.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * TTL of the master lock, after which another scheduler takes over from a dead
	 * holder.
	 */
	private Duration lockTimeout = Duration.ofSeconds(180);

	/**
	 * Prefix of the master lock key, as resque-scheduler's
	 * RESQUE_SCHEDULER_MASTER_LOCK_PREFIX.
	 */
	private String lockPrefix = "";

	/** Most delayed items moved from a bucket in one atomic step. */
	private int batchSize = 100;

	/** Whether recurring schedules persisted in Redis by Ruby or other pools run too. */
	private boolean dynamic = true;

	/** Recurring schedules by name. */
	private Map<String, Schedule> schedules = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public String getLockPrefix() {
		return this.lockPrefix;
	}

	public void setLockPrefix(String lockPrefix) {
		this.lockPrefix = lockPrefix;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public boolean isDynamic() {
		return this.dynamic;
	}

	public void setDynamic(boolean dynamic) {
		this.dynamic = dynamic;
	}

	public Map<String, Schedule> getSchedules() {
		return this.schedules;
	}

	public void setSchedules(Map<String, Schedule> schedules) {
		this.schedules = schedules;
	}

	/**
	 * One recurring schedule, as a resque-scheduler schedule entry.
	 */
	public static class Schedule {

		/**
		 * Cron line as fugit reads it, with an optional trailing time zone; wins over
		 * every.
		 */
		private String cron;

		/**
		 * Interval as rufus reads it ("30s", "1h30m", "P1D"), or a JSON array ["30s",
		 * {"first_in": "5s"}].
		 */
		private String every;

		/** Resque class name of the job. */
		private String className;

		/** Queue of the job. */
		private String queue;

		/** Arguments of the job: a JSON array in one string, or a YAML list. */
		private List<Object> args;

		/** Description shown in resque-web's Schedule tab. */
		private String description;

		/**
		 * Whether the schedule is written to persistent_schedules for resque-web and Ruby
		 * to see.
		 */
		private boolean publish = true;

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public String getEvery() {
			return this.every;
		}

		public void setEvery(String every) {
			this.every = every;
		}

		public String getClassName() {
			return this.className;
		}

		public void setClassName(String className) {
			this.className = className;
		}

		/**
		 * Sets the class name; {@code class} in the configuration.
		 * @param className the class name
		 */
		public void setClass(String className) {
			this.className = className;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public String getDescription() {
			return this.description;
		}

		public void setDescription(String description) {
			this.description = description;
		}

		public boolean isPublish() {
			return this.publish;
		}

		public void setPublish(boolean publish) {
			this.publish = publish;
		}

	}

}
