package io.github.resquepool.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything measured in one run of {@link BenchmarkRunner}, as the report reads it.
 */
final class Results {

	/** The resque-pool implementation label. */
	static final String US = "resque-pool";

	/** The peer's label. */
	static final String PEER = "Jesque 2.2.0";

	/** The label of the Sidekiq reference (its version is in {@link #sidekiqVersion}). */
	static final String SIDEKIQ = "Sidekiq";

	/** The app variant started from a JDK AOT cache of a training run. */
	static final String APP_AOT = "app-aot";

	/** Pickup path: a ResqueClient enqueue (with its wake-up). */
	static final String VIA_CLIENT = "ResqueClient.enqueue";

	/**
	 * Pickup path: a plain RPUSH by another client, into a pool with a static queue list.
	 */
	static final String FOREIGN = "RPUSH by another client";

	/**
	 * Pickup path: a plain RPUSH by another client, into a pool whose queues are
	 * {@code *}.
	 */
	static final String FOREIGN_STAR = "RPUSH by another client, queues `*`, keyspace events on";

	/**
	 * Pickup path of the Sidekiq reference: one job in Sidekiq's format, LPUSHed by the
	 * runner.
	 */
	static final String SIDEKIQ_PUSH = "LPUSH of a Sidekiq job by another client";

	/** Scheduler pattern: delayed items written ahead, due over the span. */
	static final String WRITTEN_AHEAD = "written ahead, due over the span";

	/**
	 * Scheduler pattern: items written while the scheduler waits for a later bucket, each
	 * due 1 to 2 s later.
	 */
	static final String ADDED_WHILE_WAITING = "added while it waits for a later bucket, due 1–2 s later";

	/** Why Sidekiq was not measured, or null when it was. */
	String sidekiqSkipped;

	/** The Sidekiq version measured, or null. */
	String sidekiqVersion;

	/** Why {@link #APP_AOT} was not measured, or null when it was. */
	String aotSkipped;

	/**
	 * The AOT cache's size in bytes, and the seconds its training run took (start to
	 * cache written).
	 */
	long aotCacheBytes;

	double aotTrainingSeconds;

	Map<String, String> machine = new LinkedHashMap<>();

	List<Throughput> throughput = new ArrayList<>();

	List<WarmUp> warmUps = new ArrayList<>();

	List<App> apps = new ArrayList<>();

	List<Ceiling> ceilings = new ArrayList<>();

	List<Pickup> pickups = new ArrayList<>();

	List<Fleet> fleets = new ArrayList<>();

	List<Recovery> recoveries = new ArrayList<>();

	List<Jmh> jmh = new ArrayList<>();

	List<SchedulerRun> schedulerRuns = new ArrayList<>();

	List<SchedulerIdle> schedulerIdle = new ArrayList<>();

	/** The JFR-profiled warm batch of the app figure, or null. */
	Profile appProfile;

	java.util.Set<String> notes = new java.util.LinkedHashSet<>();

	Profile profile;

	String ceilingSkipped;

	String command;

	String generated;

	int quietWaits;

	int quietTimeouts;

	double quietSeconds;

	double seconds;

	/**
	 * One throughput run.
	 * @param impl {@link #US} or {@link #PEER}
	 * @param kind "noop" or "sleep1ms"
	 * @param workers the worker count
	 * @param rep the repetition, from 1
	 * @param jobs jobs drained
	 * @param seconds first job start to last job end
	 * @param cpu child JVM CPU seconds: {process, workers, lettuce, other Java threads}
	 * @param redisCpu redis-server CPU seconds during the run
	 * @param background other processes' CPU during the run, in cores
	 * @param commands Redis command statistics during the run (calls, usec)
	 */
	/**
	 * One run of the application users run (16 workers, no-op jobs): its first batch
	 * after the start (cold) and the batch after that (warm).
	 *
	 * @param variant {@code app} (web, Actuator, metrics and observations),
	 * {@code app-no-metrics} (the same without the pool's metrics and observation),
	 * {@code app-aot} ({@code app} started from a JDK AOT cache), the peer's label or
	 * {@link #SIDEKIQ}
	 * @param rep the repetition
	 * @param cold the first batch after the start
	 * @param warm the batch after one warm-up batch
	 * @param startMillis the runner's wall clock from launching the process to its
	 * {@code registered} line (every worker registered, or, for Sidekiq, every processor
	 * blocked in BRPOP)
	 */
	record App(String variant, int rep, Throughput cold, Throughput warm, double startMillis) {
	}

	record Throughput(String impl, String kind, int workers, int rep, long jobs, double seconds, double[] cpu,
			double redisCpu, double background, Map<String, long[]> commands) {

		double jobsPerSecond() {
			return this.jobs / this.seconds;
		}

	}

	/**
	 * The warm-up of one throughput child.
	 *
	 * @param impl {@link #US} or {@link #PEER}
	 * @param workers the worker count
	 * @param rep the repetition
	 * @param batches warm-up batches run
	 * @param jobs jobs per batch
	 */
	record WarmUp(String impl, int workers, int rep, int batches, int jobs) {
	}

	/**
	 * A redis-benchmark result.
	 *
	 * @param workers the worker count it stands for
	 * @param clients connections
	 * @param turns worker turns (jobs) per EVALSHA
	 * @param perSecond jobs per second
	 */
	record Ceiling(int workers, int clients, int turns, double perSecond) {
	}

	/**
	 * Pickup latencies of one measurement.
	 *
	 * @param impl {@link #US} or {@link #PEER}
	 * @param path how jobs were enqueued
	 * @param rep the repetition
	 * @param micros the latencies, microseconds, ascending
	 * @param expected the number of jobs enqueued
	 */
	record Pickup(String impl, String path, int rep, List<Long> micros, int expected) {
	}

	/**
	 * One fleet child: start, idle cost, memory.
	 *
	 * @param threads "platform" or "virtual"
	 * @param workers the worker count
	 * @param intervalMillis the start-interval
	 * @param rep the repetition
	 * @param registeredMillis the pool's start to all workers registered
	 * @param firstMillis the pool's start to the first worker registered
	 * @param contextMillis JVM start to the context being up
	 * @param poolStartMillis JVM start to the pool's start
	 * @param clients Redis connections of the pool (connected_clients delta)
	 * @param idlePerSecond commands per second reaching Redis while idle, or NaN
	 * @param idleCommands what those commands were (calls, usec)
	 * @param heap heap used after full GCs, or -1
	 * @param rss resident set size, or -1
	 * @param javaThreads platform threads of the JVM
	 * @param scaled whether the pool reached its size by {@code ResquePool.scale} rather
	 * than at start
	 */
	record Fleet(String threads, int workers, long intervalMillis, int rep, double registeredMillis, double firstMillis,
			double contextMillis, double poolStartMillis, int clients, double idlePerSecond,
			Map<String, long[]> idleCommands, long heap, long rss, int javaThreads, boolean scaled) {
	}

	/**
	 * One recovery measurement.
	 *
	 * @param timeoutSeconds the recovery-timeout
	 * @param rep the repetition
	 * @param firstSeconds kill to the first recovered job running again
	 * @param lastSeconds kill to the last one
	 * @param jobs jobs that were in flight
	 * @param recovered jobs that ran again
	 */
	record Recovery(int timeoutSeconds, int rep, double firstSeconds, double lastSeconds, int jobs, int recovered) {
	}

	/**
	 * A JMH result.
	 *
	 * @param benchmark the method
	 * @param threads threads
	 * @param score the score
	 * @param error the 99.9% error
	 * @param unit the unit
	 */
	record Jmh(String benchmark, int threads, double score, double error, String unit) {
	}

	/**
	 * The profiled run at 16 workers.
	 *
	 * @param run the run's figures
	 * @param jfr the JFR summary
	 */
	record Profile(Throughput run, JfrSummary jfr) {
	}

	/**
	 * The lateness of delayed items in one pattern.
	 *
	 * @param rep the repetition
	 * @param pattern {@link #WRITTEN_AHEAD} or {@link #ADDED_WHILE_WAITING}
	 * @param micros arrival in the queue minus the start of the due second, microseconds,
	 * ascending
	 * @param expected items written
	 */
	record SchedulerRun(int rep, String pattern, List<Long> micros, int expected) {
	}

	/**
	 * The idle Redis cost of a pool child with or without its scheduler.
	 *
	 * @param rep the repetition
	 * @param enabled whether the scheduler ran (and held the lock)
	 * @param perSecond commands sent per second
	 * @param commands what they were (sent by clients, run inside scripts)
	 */
	record SchedulerIdle(int rep, boolean enabled, double perSecond, Map<String, long[]> commands) {
	}

}
