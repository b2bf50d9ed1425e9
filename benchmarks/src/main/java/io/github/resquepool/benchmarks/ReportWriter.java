package io.github.resquepool.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Writes {@code BENCHMARKS.md} (tables, goals, explanations of misses) and the PNG
 * charts.
 */
final class ReportWriter {

	/** The one command of the README's benchmark section. */
	static final String COMMAND = "./mvnw -pl benchmarks -am package -DskipTests -Pbenchmarks";

	private final Options options;

	private final Results r;

	private final StringBuilder md = new StringBuilder();

	private final List<String> misses = new ArrayList<>();

	ReportWriter(Options options, Results results) {
		this.options = options;
		this.r = results;
	}

	Path write() throws IOException {
		List<String> charts = charts();
		header();
		goals();
		machine();
		throughput(charts);
		app();
		pickup();
		start();
		memory();
		idle();
		recovery();
		scheduler();
		jmh();
		notes();
		Path file = this.options.repoRoot().resolve("BENCHMARKS.md");
		Files.createDirectories(file.getParent());
		Files.writeString(file, this.md.toString());
		return file;
	}

	// ---- header and goals

	private void header() {
		line("# resque-pool benchmarks");
		line();
		String when = (this.r.generated != null) ? this.r.generated
				: ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
		line("Generated " + when + " by `" + COMMAND + "`"
				+ (this.r.command.isBlank() ? "" : " (runner arguments: `" + this.r.command + "`)") + " in "
				+ Math.round(this.r.seconds / 60)
				+ " min. Every figure comes from this one run on the machine described below.");
		line();
		if (this.options.quick()) {
			line("> **Quick (smoke) run**: tiny job counts, one repetition, C1-only child JVMs. The numbers only show that the "
					+ "harness works; they are not benchmark results.");
			line();
		}
		line("Whole-system figures run the real pool (a Spring Boot application with `resque-pool-spring-boot-starter`, "
				+ "`WebApplicationType.NONE`) in one child JVM and the peer, Jesque 2.2.0, in another, alternating which goes "
				+ "first, " + this.options.reps() + " repetition" + ((this.options.reps() != 1) ? "s" : "")
				+ " each; tables show "
				+ "the **median (min–max)** over the repetitions. Both share one embedded Redis with the runner on the same "
				+ "machine, so Redis, the JVM under test and the load generator compete for the same cores.");
		line();
	}

	private void goals() {
		line("## Goals");
		line();
		line("| Goal | Target | Measured | Result |");
		line("|---|---|---|---|");
		int p = this.options.profileCount();
		Stats us16 = tp(Results.US, "noop", p);
		Optional<Map.Entry<Integer, Stats>> jesqueBest = this.options.counts()
			.stream()
			.map((w) -> Map.entry(w, tp(Results.PEER, "noop", w)))
			.filter((e) -> !e.getValue().isEmpty())
			.max(Comparator.comparingDouble((e) -> e.getValue().median()));
		if (!us16.isEmpty() && jesqueBest.isPresent()) {
			double ratio = us16.median() / jesqueBest.get().getValue().median();
			goal("Throughput, " + p + " workers, no-op jobs, vs Jesque's best", "≥ 2.5× Jesque's best",
					String.format(Locale.ROOT, "%s jobs/s vs Jesque's best %s jobs/s (%d workers): %.2f×",
							Stats.integer(us16.median()), Stats.integer(jesqueBest.get().getValue().median()),
							jesqueBest.get().getKey(), ratio),
					ratio >= 2.5, "throughput");
		}
		else {
			notMeasured("Throughput vs Jesque's best", "≥ 2.5×");
		}
		if (!us16.isEmpty()) {
			goal("Throughput, " + p + " workers, no-op jobs, atomic crash-safe fetch", "≥ 25,000 jobs/s",
					us16.format(Stats::integer) + " jobs/s", us16.median() >= 25_000, "throughput");
		}
		else {
			notMeasured("Throughput, 16 workers", "≥ 25,000 jobs/s");
		}
		Stats p50 = pickupStat(Results.US, Results.VIA_CLIENT, 50);
		Stats p99 = pickupStat(Results.US, Results.VIA_CLIENT, 99);
		if (!p50.isEmpty()) {
			goal("Pickup p50, ResqueClient enqueues, idle pool", "< 2 ms", p50.format(ReportWriter::ms) + " ms",
					p50.median() < 2000, "pickup");
			goal("Pickup p99, ResqueClient enqueues, idle pool", "< 10 ms", p99.format(ReportWriter::ms) + " ms",
					p99.median() < 10_000, "pickup");
		}
		else {
			notMeasured("Pickup latency, ResqueClient enqueues", "p50 < 2 ms, p99 < 10 ms");
		}
		for (String[] foreign : List.of(new String[] { Results.FOREIGN, "static queue list (BLMOVE waiters)" },
				new String[] { Results.FOREIGN_STAR, "queues `*` (keyspace events on)" })) {
			Stats f50 = pickupStat(Results.US, foreign[0], 50);
			Stats f99 = pickupStat(Results.US, foreign[0], 99);
			if (f50.isEmpty()) {
				notMeasured("Pickup of a plain RPUSH by another client, " + foreign[1], "p50 ≤ 2 ms, p99 ≤ 20 ms");
				continue;
			}
			goal("Pickup p50, plain RPUSH by another client, " + foreign[1] + ", poll-interval 1 s", "≤ 2 ms",
					f50.format(ReportWriter::ms) + " ms", f50.median() <= 2000, "pickup");
			goal("Pickup p99, plain RPUSH by another client, " + foreign[1] + ", poll-interval 1 s", "≤ 20 ms",
					f99.format(ReportWriter::ms) + " ms", f99.median() <= 20_000, "pickup");
		}
		int bigStart = this.options.startSizes().stream().max(Integer::compare).orElse(500);
		Stats start = fleetStat((f) -> f.threads().equals("platform") && f.workers() == bigStart
				&& f.intervalMillis() == 0 && !f.scaled(), Results.Fleet::registeredMillis);
		if (!start.isEmpty()) {
			goal(bigStart + " workers registered after the pool's start (start-interval 0)", "< 1 s",
					start.format(ReportWriter::oneDecimal) + " ms", start.max() < 1000, "start");
		}
		else {
			notMeasured("500 workers started", "< 1 s");
		}
		Stats heapPerWorker = perWorker("virtual", Results.Fleet::heap);
		if (!heapPerWorker.isEmpty()) {
			goal("Heap per idle worker, virtual threads", "< 100 KB",
					heapPerWorker.format(ReportWriter::oneDecimal) + " KB", heapPerWorker.median() < 100, "memory");
		}
		else {
			notMeasured("Heap per idle worker, virtual threads", "< 100 KB");
		}
		List<Results.Fleet> idle = this.r.fleets.stream().filter((f) -> !Double.isNaN(f.idlePerSecond())).toList();
		if (!idle.isEmpty()) {
			TreeSet<Integer> clients = this.r.fleets.stream()
				.map(Results.Fleet::clients)
				.collect(Collectors.toCollection(TreeSet::new));
			TreeSet<Integer> sizes = this.r.fleets.stream()
				.map(Results.Fleet::workers)
				.collect(Collectors.toCollection(TreeSet::new));
			goal("Redis connections independent of worker count", "same for every worker count",
					((clients.size() != 1) ? "from " + clients.first() + " to " + clients.last() + " connections"
							: clients.first() + " connections") + " with "
							+ sizes.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " workers",
					clients.size() == 1, "idle");
			int small = this.options.idleSizes().stream().min(Integer::compare).orElse(1);
			int big = this.options.idleSizes().stream().max(Integer::compare).orElse(500);
			Stats one = fleetStat((f) -> f.workers() == small && !Double.isNaN(f.idlePerSecond()),
					Results.Fleet::idlePerSecond);
			Stats many = fleetStat((f) -> f.workers() == big && !Double.isNaN(f.idlePerSecond()),
					Results.Fleet::idlePerSecond);
			if (!one.isEmpty() && !many.isEmpty()) {
				goal("Idle Redis commands/s, " + big + " workers vs " + small,
						"≤ 2× of " + small + " worker" + ((small != 1) ? "s" : ""),
						many.format(ReportWriter::twoDecimals) + " vs " + one.format(ReportWriter::twoDecimals)
								+ " commands/s",
						many.median() <= 2 * one.median(), "idle");
			}
		}
		else {
			notMeasured("Idle Redis cost and connections", "≤ 2×, independent");
		}
		for (int timeout : this.options.recoveryTimeouts()) {
			Stats rec = Stats.of(this.r.recoveries.stream()
				.filter((x) -> x.timeoutSeconds() == timeout)
				.map(Results.Recovery::lastSeconds)
				.toList());
			boolean all = this.r.recoveries.stream()
				.filter((x) -> x.timeoutSeconds() == timeout)
				.allMatch((x) -> x.recovered() == x.jobs());
			if (!rec.isEmpty() || this.r.recoveries.stream().anyMatch((x) -> x.timeoutSeconds() == timeout)) {
				goal("Recovery after kill -9, recovery-timeout " + timeout + " s", "≤ " + (timeout + 5) + " s",
						rec.format(ReportWriter::twoDecimals) + " s" + (all ? "" : " (some jobs never ran again)"),
						all && rec.max() <= timeout + 5, "recovery");
			}
		}
		if (this.r.recoveries.isEmpty()) {
			notMeasured("Recovery after kill -9", "≤ recovery-timeout + 5 s");
		}
		if (!this.r.schedulerRuns.isEmpty()) {
			for (String pattern : List.of(Results.WRITTEN_AHEAD, Results.ADDED_WHILE_WAITING)) {
				Stats late99 = lateness(pattern, 99);
				boolean all = this.r.schedulerRuns.stream()
					.filter((x) -> x.pattern().equals(pattern))
					.allMatch((x) -> x.micros().size() == x.expected());
				goal("Scheduler lateness p99, delayed items " + pattern, "< 1 s",
						late99.format(ReportWriter::ms) + " ms" + (all ? "" : " (some items never arrived)"),
						all && late99.max() < 1_000_000, "scheduler");
			}
			Stats on = schedulerIdle(true);
			Stats off = schedulerIdle(false);
			double cost = on.median() - off.median();
			goal("Idle Redis cost of the scheduler (holding the lock, nothing due)", "≤ 5 commands/s",
					String.format(Locale.ROOT, "%s commands/s (%s with it against %s without)", twoDecimals(cost),
							on.format(ReportWriter::twoDecimals), off.format(ReportWriter::twoDecimals)),
					cost <= 5, "scheduler");
		}
		else {
			notMeasured("Scheduler lateness and idle cost", "p99 < 1 s, ≤ 5 commands/s");
		}
		line();
		if (!this.misses.isEmpty()) {
			line("### Why the missed goals are missed, and what would close them");
			line();
			new java.util.LinkedHashSet<>(this.misses).forEach(this::explain);
			line();
		}
	}

	// ---- the application users run

	private Stats app(String variant, boolean warm) {
		return Stats.of(this.r.apps.stream()
			.filter((a) -> a.variant().equals(variant))
			.map((a) -> (warm ? a.warm() : a.cold()).jobsPerSecond())
			.toList());
	}

	private Stats appCpu(String variant) {
		return Stats.of(this.r.apps.stream()
			.filter((a) -> a.variant().equals(variant))
			.map((a) -> a.warm().cpu()[0] * 1e6 / a.warm().jobs())
			.toList());
	}

	private void app() {
		line("## Throughput in the application users run");
		line();
		if (this.r.apps.isEmpty()) {
			line("Not measured in this run (`--only` left out `app`).");
			line();
			return;
		}
		line("The pool inside a Spring Boot application with `spring-boot-starter-webmvc` (a Tomcat server on a random "
				+ "port), `spring-boot-starter-actuator`, Micrometer's default metrics and an Observation around every job, "
				+ "16 workers, no-op jobs, " + Stats.integer(this.options.jobs())
				+ " jobs per batch. *Cold* is the first "
				+ "batch after the start, *warm* the batch after it; `app-no-metrics` is the same application without the "
				+ "pool's own metrics and observation; `app-limits` is `app` with its jobs under a "
				+ "`@ResqueLimit(concurrency = 100000)` and its queue under `resque.pool.queue-limits` of 100000, limits "
				+ "that never bind, so every job takes and frees two slots; `app-aot` is `app` started from a JDK AOT cache (below). Jesque 2.2.0 "
				+ "(16 workers) runs the same two batches in the same run"
				+ ((this.r.sidekiqVersion != null) ? ", and so does Sidekiq " + this.r.sidekiqVersion
						+ " as a reference "
						+ "(`sidekiq -c 16`, a no-op worker, jobs in Sidekiq's own format; Sidekiq cannot be paused, so "
						+ "each batch is pushed to a list of its own and renamed to the queue at once)" : "")
				+ ". *Launch → registered* is the runner's wall clock from starting the process until it reported all "
				+ "16 workers registered in Redis (for Sidekiq: all 16 processors blocked in `BRPOP`). All the JVMs of "
				+ "this figure run on the same class path of jars. The throughput figure above stays the bare reference "
				+ "(`WebApplicationType.NONE`, the pool's metrics off).");
		line();
		if (this.options.appArgs() != null && !this.options.appArgs().isEmpty()) {
			line("Extra arguments of the resque-pool children of this figure: `"
					+ String.join(" ", this.options.appArgs()) + "`.");
			line();
		}
		line("| | launch → registered (ms) | cold jobs/s | warm jobs/s | CPU per job, warm (µs) |");
		line("|---|---:|---:|---:|---:|");
		for (String variant : List.of("app", "app-no-metrics", BenchmarkRunner.APP_LIMITS, Results.APP_AOT,
				Results.PEER, Results.SIDEKIQ)) {
			if (this.r.apps.stream().noneMatch((a) -> a.variant().equals(variant))) {
				continue;
			}
			line("| " + label(variant) + " | " + appStart(variant).format(Stats::integer) + " | "
					+ app(variant, false).format(Stats::integer) + " | " + app(variant, true).format(Stats::integer)
					+ " | " + appCpu(variant).format((v) -> Stats.decimal(v, 1)) + " |");
		}
		line();
		line("CPU per job is the JVM's (all threads) or, for Sidekiq, the Ruby process's, from inside the process.");
		line();
		line("### Start from a JDK AOT cache (`app-aot`)");
		line();
		if (this.r.aotSkipped != null) {
			line("_" + this.r.aotSkipped + "_");
		}
		else {
			Stats aotStart = appStart(Results.APP_AOT);
			Stats plainStart = appStart("app");
			line(String
				.format(Locale.ROOT, "JDK 25's AOT cache (JEP 514 and 515: classes loaded and linked, and method "
						+ "profiles, from a training run): a training run of the `app` child with `-XX:AOTCacheOutput=app.aot` "
						+ "started, ran one batch of %s no-op jobs and exited, and the JVM wrote a cache of %.0f MB (%.0f s in "
						+ "all, start to cache written); `app-aot` is the same child with `-XX:AOTCache=app.aot`. Launch → "
						+ "registered %s ms against %s ms without the cache (%s); cold %s against %s jobs/s; warm %s against %s "
						+ "jobs/s. The same works for any Boot jar: see the README's Benchmarks section.",
						Stats.integer(this.options.jobs()), this.r.aotCacheBytes / 1e6, this.r.aotTrainingSeconds,
						aotStart.format(Stats::integer), plainStart.format(Stats::integer),
						String.format(Locale.ROOT, "%+.0f%%", 100 * (aotStart.median() / plainStart.median() - 1)),
						app(Results.APP_AOT, false).format(Stats::integer), app("app", false).format(Stats::integer),
						app(Results.APP_AOT, true).format(Stats::integer), app("app", true).format(Stats::integer)));
		}
		line();
		if (this.r.sidekiqSkipped != null) {
			line("_" + this.r.sidekiqSkipped + "_");
			line();
		}
		Stats warm = app("app", true);
		Stats cold = app("app", false);
		Stats peer = app(Results.PEER, true);
		Stats bare = app("app-no-metrics", true);
		Stats cpu = appCpu("app");
		line("| Goal | Target | Measured | Result |");
		line("|---|---|---|---|");
		goal("Warm throughput, 16 workers", "≥ 35,000 jobs/s", warm.format(Stats::integer) + " jobs/s",
				warm.median() >= 35_000, "app");
		double ratio = warm.median() / peer.median();
		goal("Warm throughput vs Jesque, same run", "≥ 3×",
				String.format(Locale.ROOT, "%.2f× (Jesque %s jobs/s)", ratio, Stats.integer(peer.median())), ratio >= 3,
				"app");
		goal("Cold throughput, first batch after the start", "≥ 20,000 jobs/s", cold.format(Stats::integer) + " jobs/s",
				cold.median() >= 20_000, "app");
		goal("JVM CPU per job, warm", "≤ 15 µs", cpu.format((v) -> Stats.decimal(v, 1)) + " µs", cpu.median() <= 15,
				"app");
		double cost = 1 - warm.median() / bare.median();
		goal("Cost of the pool's metrics and observation", "≤ 10% of warm throughput",
				String.format(Locale.ROOT, "%.1f%% (%s vs %s jobs/s without them)", cost * 100,
						Stats.integer(warm.median()), Stats.integer(bare.median())),
				cost <= 0.10, "app");
		Stats limited = app(BenchmarkRunner.APP_LIMITS, true);
		if (!limited.isEmpty()) {
			double limitCost = 1 - limited.median() / warm.median();
			goal("Cost of a class limit and a queue limit that do not bind", "≤ 10% of warm throughput",
					String.format(Locale.ROOT, "%.1f%% (%s vs %s jobs/s without limits)", limitCost * 100,
							Stats.integer(limited.median()), Stats.integer(warm.median())),
					limitCost <= 0.10, "app");
		}
		line();
		if (this.misses.contains("app")) {
			explainApp();
			line();
		}
		appProfile();
	}

	private void appProfile() {
		Results.Profile profile = this.r.appProfile;
		if (profile == null) {
			return;
		}
		Results.Throughput t = profile.run();
		JfrSummary jfr = profile.jfr();
		double perJob = 1e6 / t.jobs();
		line("### Where the application's JVM time goes (JFR)");
		line();
		line(String.format(Locale.ROOT,
				"One more warm batch of %s no-op jobs on the `app` child of the last repetition, with the same JFR "
						+ "recording as the bare profile: %s jobs/s with the recording on; `%s` in the work directory; %s "
						+ "samples (`%s`). CPU per job in this batch: JVM %.1f µs (worker threads %.1f, Lettuce event loop "
						+ "%.1f, other Java threads %.1f, GC/JIT/VM %.1f), Redis %.1f µs.",
				Stats.integer(t.jobs()), Stats.integer(t.jobsPerSecond()), jfr.file().getFileName(),
				Stats.integer(jfr.samples()), jfr.sampler(), t.cpu()[0] * perJob, t.cpu()[1] * perJob,
				t.cpu()[2] * perJob, t.cpu()[3] * perJob, (t.cpu()[0] - t.cpu()[1] - t.cpu()[2] - t.cpu()[3]) * perJob,
				t.redisCpu() * perJob));
		line();
		profileTables(jfr);
	}

	/**
	 * @return an implementation's label, Sidekiq's with its version
	 */
	private String label(String impl) {
		return (impl.equals(Results.SIDEKIQ) && this.r.sidekiqVersion != null) ? "Sidekiq " + this.r.sidekiqVersion
				: impl;
	}

	private Stats appStart(String variant) {
		return Stats
			.of(this.r.apps.stream().filter((a) -> a.variant().equals(variant)).map(Results.App::startMillis).toList());
	}

	private void goal(String goal, String target, String measured, boolean met, String figure) {
		line("| " + goal + " | " + target + " | " + measured + " | " + (met ? "met" : "**missed**") + " |");
		if (!met) {
			this.misses.add(figure);
		}
	}

	private void notMeasured(String goal, String target) {
		line("| " + goal + " | " + target + " | not measured in this run | – |");
	}

	private void explain(String figure) {
		switch (figure) {
			case "throughput" -> explainThroughput();
			case "app" -> explainApp();
			case "pickup" -> line("- **Pickup**: see figure 2. Latency from a ResqueClient enqueue is the PUBLISH in "
					+ "`enqueue.lua`, the pub/sub connection's Lettuce thread waking one idle worker, and that worker's "
					+ "`cycle`; a foreign RPUSH into a static queue list wakes the group's `BLMOVE` waiter, into `*` the "
					+ "keyspace event's pattern subscription, each one more hop before the same `cycle`. On 2 shared cores "
					+ "a busy neighbour process delays every hop (other processes used "
					+ cores(this.r.throughput.stream()
						.mapToDouble(Results.Throughput::background)
						.average()
						.orElse(Double.NaN))
					+ " cores on average during the throughput runs). A p50 near the poll-interval (hundreds of ms) "
					+ "means the wake-up did not happen and the poll found the job: the child's log "
					+ "(`logs/pickup-pool-star-rep1.log`) says which wake-up each group uses.");
			case "start" ->
				line("- **Start**: registration is one `register.lua` call for all workers, then one thread start "
						+ "per worker; the figure-3 table splits JVM start-up from the pool's own start. Profile with "
						+ "`-Xlog:startuptime` or JFR's `jdk.ThreadStart` if it is the thread starts.");
			case "memory" ->
				line("- **Memory**: per-worker heap is (heap at the largest − heap at the smallest pool) ÷ the "
						+ "difference in workers after full GCs; see figure 4. A heap histogram (`jcmd <pid> GC.class_histogram`) "
						+ "of a 500-worker pool shows which objects each worker holds.");
			case "idle" ->
				line("- **Idle cost**: see the commands seen by MONITOR in figure 5: anything that grows with the "
						+ "worker count is per-worker polling or per-worker heartbeats.");
			case "scheduler" -> line("- **Scheduler**: see figure 7. The lock holder sleeps until the earliest of the "
					+ "next due bucket, the next recurring firing and its next lock check (`resque.scheduler.poll-interval`, "
					+ "1 s), and wakes at once on the `resquepool:delayed` message that every Java `enqueueAt` publishes "
					+ "(items a Ruby process adds are found at the next check). Items later than a second mean a missed "
					+ "wake-up (see `logs/scheduler-rep1.log` in the work directory) or a machine too busy to run the "
					+ "scheduler's thread on time.");
			case "recovery" ->
				line("- **Recovery**: a surviving pool recovers a dead one on its beat (every recovery-timeout ÷ 6, "
						+ "1–5 s) once the dead pool's last beat is older than recovery-timeout; the requeued jobs then wait for "
						+ "the survivor's next poll tick (≤ poll-interval), because `recover.lua` publishes no wake-up. Worst case "
						+ "≈ recovery-timeout + beat interval + poll-interval.");
			default -> {
			}
		}
	}

	private void explainApp() {
		StringBuilder s = new StringBuilder("- **The application users run** (see its section): ");
		Stats warm = app("app", true);
		Stats bare = app("app-no-metrics", true);
		Stats cold = app("app", false);
		if (!warm.isEmpty() && !bare.isEmpty()) {
			s.append(String.format(Locale.ROOT,
					"warm it ran %s jobs/s, %s without the pool's metrics and observation, and %s cold. ",
					Stats.integer(warm.median()), Stats.integer(bare.median()), Stats.integer(cold.median())));
		}
		Results.Profile profile = this.r.appProfile;
		if (profile != null) {
			Results.Throughput t = profile.run();
			JfrSummary jfr = profile.jfr();
			double perJob = 1e6 / t.jobs();
			double redisUs = t.redisCpu() * perJob;
			double jvmUs = t.cpu()[0] * perJob;
			double redisCores = t.redisCpu() / t.seconds();
			double jvmCores = t.cpu()[0] / t.seconds();
			double busy = jvmCores + redisCores;
			s.append(String.format(Locale.ROOT,
					"In the profiled batch every job cost %.1f µs of JVM CPU and %.1f µs of Redis CPU; the JVM used %s "
							+ "cores and Redis %s of the 2: %s. ",
					jvmUs, redisUs, cores(jvmCores), cores(redisCores),
					(busy > 1.7)
							? String.format(Locale.ROOT, "CPU-bound, jobs/s ≈ 2 cores ÷ (%.1f + %.1f) µs", jvmUs,
									redisUs)
							: String.format(Locale.ROOT,
									"%.2f cores busy, so round trips and wake-ups bound it as much as CPU does",
									busy)));
			long micrometer = jfr.libraries().getOrDefault("Micrometer", 0L);
			long jackson = jfr.libraries().getOrDefault("Jackson", 0L);
			long netty = jfr.libraries().getOrDefault("Netty", 0L);
			long lettuce = jfr.libraries().getOrDefault("Lettuce", 0L);
			s.append(String.format(Locale.ROOT,
					"Of the JVM's samples, %s have Micrometer on the stack (the metrics and the observation), %s "
							+ "Jackson (reading payloads, writing outcomes), %s Netty and %s Lettuce (the socket and the "
							+ "Redis protocol; the two overlap); the hottest methods are in the tables of that section. ",
					percent(micrometer, jfr.samples()), percent(jackson, jfr.samples()), percent(netty, jfr.samples()),
					percent(lettuce, jfr.samples())));
		}
		Stats ceiling16 = ceiling(16, 1, 16);
		if (!ceiling16.isEmpty()) {
			s.append(String.format(Locale.ROOT,
					"Redis alone, driven by redis-benchmark (no JVM at all) with the pool's own script and 16 turns per "
							+ "call on one connection, does %s jobs/s on this machine in this run; the warm goal of 35,000 "
							+ "jobs/s is %.0f%% of that ceiling, which the pool shares the 2 cores with. ",
					Stats.integer(ceiling16.median()), 100 * 35_000 / ceiling16.median()));
		}
		s.append(roundTrips());
		s.append("A warm goal closes only with less CPU per job on both sides (Redis runs `cycles.lua` per turn, the "
				+ "JVM parses, dispatches and records every job) or with fewer thread hand-offs per round trip. Cold, the "
				+ "JIT is still compiling the hot path during the first batch; the AOT cache (`app-aot`) carries the "
				+ "profile of a training run.");
		line(s.toString());
	}

	/**
	 * What this machine's round trips cost, from the JMH figures: a plain LPOP from one
	 * thread on one Lettuce connection (caller → event loop → Redis → event loop →
	 * caller, two thread hand-offs), against one turn through the group's fetcher (two
	 * more: worker → fetcher → worker).
	 */
	private String roundTrips() {
		Optional<Results.Jmh> lpop = this.r.jmh.stream()
			.filter((j) -> j.benchmark().endsWith(".lpop") && j.threads() == 1)
			.findFirst();
		Optional<Results.Jmh> turn = this.r.jmh.stream()
			.filter((j) -> j.benchmark().endsWith(".combinedTurn") && j.threads() == 1)
			.findFirst();
		if (lpop.isEmpty() || turn.isEmpty()) {
			return "";
		}
		return String.format(Locale.ROOT,
				"On this machine a plain LPOP from one thread on one Lettuce connection makes %s round trips/s (%.0f µs "
						+ "each, two thread hand-offs: caller → event loop → caller); one worker's turn through its group's "
						+ "fetcher makes %s/s (%.0f µs, two hand-offs more: worker → fetcher → worker). Where the machine "
						+ "wakes threads slowly, these hand-offs, not Redis, bound a small pool; the 1- and 4-worker rows of "
						+ "the throughput table show it. ",
				Stats.integer(lpop.get().score()), 1e6 / lpop.get().score(), Stats.integer(turn.get().score()),
				1e6 / turn.get().score());
	}

	private void explainThroughput() {
		int p = this.options.profileCount();
		Optional<Results.Throughput> run = medianRun(Results.US, "noop", p);
		if (run.isEmpty()) {
			return;
		}
		Results.Throughput t = run.get();
		double perJob = 1e6 / t.jobs();
		double redisUs = t.redisCpu() * perJob;
		double jvmUs = t.cpu()[0] * perJob;
		long[] evalsha = t.commands().getOrDefault("evalsha", new long[2]);
		double evalUs = (evalsha[0] > 0) ? (double) evalsha[1] / evalsha[0] : Double.NaN;
		double redisCores = t.redisCpu() / t.seconds();
		double jvmCores = t.cpu()[0] / t.seconds();
		StringBuilder s = new StringBuilder();
		s.append(String.format(Locale.ROOT,
				"- **Throughput** (median run at %d workers, %s jobs/s): per job Redis used %.1f µs of CPU (EVALSHA of `cycles.lua` "
						+ "%.1f µs per call inside Redis, %.2f jobs per call; the rest is reading and answering commands) and the pool's JVM %.1f µs "
						+ "(worker threads %.1f, Lettuce event loop %.1f, other Java threads %.1f, GC/JIT/VM %.1f). Over the run "
						+ "Redis was busy %s cores, the JVM %s, other processes on the machine %s, of the 2 cores: ",
				p, Stats.integer(t.jobsPerSecond()), redisUs, evalUs, t.jobs() / (double) Math.max(1, evalsha[0]),
				jvmUs, t.cpu()[1] * perJob, t.cpu()[2] * perJob, t.cpu()[3] * perJob,
				(t.cpu()[0] - t.cpu()[1] - t.cpu()[2] - t.cpu()[3]) * perJob, cores(redisCores), cores(jvmCores),
				cores(t.background())));
		double total = redisCores + jvmCores + t.background();
		if (total > 1.7) {
			s.append(String.format(Locale.ROOT,
					"the machine was CPU-bound (%.2f of 2 cores). Jobs/s ≈ 2 cores ÷ (%.1f µs Redis + "
							+ "%.1f µs JVM) per job, so only less CPU per job closes the gap: ",
					total, redisUs, jvmUs));
		}
		else {
			s.append(String.format(Locale.ROOT,
					"%.2f of 2 cores were busy, so the limit is latency (round trips and wake-ups), " + "not CPU: ",
					total));
		}
		Stats ceilingBatched = ceiling(p, 1, p);
		Stats ceilingSingle = ceiling(p, p, 1);
		Optional<Results.Jmh> combined = this.r.jmh.stream()
			.filter((j) -> j.benchmark().endsWith(".combinedTurn") && j.threads() == 16)
			.findFirst();
		if (!ceilingBatched.isEmpty()) {
			s.append(String.format(Locale.ROOT,
					"Redis alone (redis-benchmark, same script, same 2 cores) does %s jobs/s with %d "
							+ "turns per call and %s with one turn per call on %d connections; ",
					Stats.integer(ceilingBatched.median()), p, Stats.integer(ceilingSingle.median()), p));
		}
		if (combined.isPresent()) {
			s.append(String.format(Locale.ROOT,
					"the pool's Redis path alone (JMH `combinedTurn`, 16 threads through the "
							+ "`GroupFetcher`, no job dispatch, no wake-ups) does %s jobs/s; ",
					Stats.integer(combined.get().score())));
		}
		s.append(String.format(Locale.ROOT,
				"%.0f%% of the CPU per job is the JVM side. The JFR profile below names the hottest JVM frames; the JMH "
						+ "table compares the script's round trip (one turn, 16 turns, through the combiner) with a plain LPOP and LPOP+SET on the same shared connection. "
						+ "The ceiling Redis itself allows for this script on this machine is in the throughput table (redis-benchmark).",
				100 * jvmUs / (jvmUs + redisUs)));
		s.append(' ').append(roundTrips());
		line(s.toString().strip());
	}

	// ---- machine

	private void machine() {
		line("## Machine");
		line();
		line("| | |");
		line("|---|---|");
		this.r.machine.forEach((k, v) -> line("| " + k + " | " + v + " |"));
		if (!this.r.throughput.isEmpty()) {
			Stats bg = Stats.of(this.r.throughput.stream().map(Results.Throughput::background).toList());
			line("| CPU used by other processes during the throughput runs | " + bg.format(ReportWriter::cores)
					+ " cores (median (min–max) over runs; the machine is shared) |");
		}
		if (this.r.quietWaits > 0) {
			line("| Waiting for a quiet machine | before " + this.r.quietWaits + " measurements, "
					+ Math.round(this.r.quietSeconds) + " s in all; " + this.r.quietTimeouts
					+ " measurements started with other processes still above 0.25 cores |");
		}
		line();
	}

	// ---- 1. throughput

	private void throughput(List<String> charts) {
		line("## 1. Throughput");
		line();
		if (this.r.throughput.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		Stats warmUs = Stats.of(this.r.warmUps.stream()
			.filter((w) -> w.impl().equals(Results.US))
			.map((w) -> (double) w.batches())
			.toList());
		Stats warmPeer = Stats.of(this.r.warmUps.stream()
			.filter((w) -> w.impl().equals(Results.PEER))
			.map((w) -> (double) w.batches())
			.toList());
		int warmJobs = this.r.warmUps.isEmpty() ? 0 : this.r.warmUps.get(0).jobs();
		line("Each run starts the workers paused and warms them up with unrecorded batches of "
				+ Stats.integer(warmJobs)
				+ " no-op jobs until the JIT has settled (at least 3, then until two batches in a row agree within 5%, at "
				+ "most 10: resque-pool needed " + warmUs.format(Stats::integer) + " batches, Jesque "
				+ warmPeer.format(Stats::integer)
				+ "). Then, for each recorded batch, it pre-fills the queue with a pipelined RPUSH and resumes the workers; "
				+ "throughput is jobs drained ÷ the time from the first job's start to the last job's end, "
				+ "measured inside the worker JVM. resque-pool runs with its defaults: one multiplexed Lettuce connection; "
				+ "each worker's turn records its last job's outcome and atomically takes the next job (LPOP + SET "
				+ "`worker:<id>`, crash-safe) in `cycles.lua`, and the turns of workers that meet are combined into one "
				+ "EVALSHA, with up to two such calls of a group in flight together. Jesque 2.2.0 runs `WorkerImpl`s with their default "
				+ "`NextQueueStrategy` and one Jedis connection each: per job 7 round trips, an EVALSHA (TYPE, LPOP, LPUSH to "
				+ "an in-flight list), SET worker, PING, 2 INCR, LPOP of the in-flight list, DEL worker.");
		line();
		line("### No-op jobs (" + Stats.integer(this.options.jobs()) + " per run)");
		line();
		boolean ceiling = !this.r.ceilings.isEmpty();
		line("| Workers | resque-pool jobs/s | Jesque 2.2.0 jobs/s | resque-pool ÷ Jesque |" + (ceiling
				? " Redis ceiling: 1 turn per call, N connections | Redis ceiling: N turns per call, 1 connection |"
				: "") + " other processes (cores) |");
		line("|---:|---:|---:|---:|" + (ceiling ? "---:|---:|" : "") + "---:|");
		for (int w : this.options.counts()) {
			Stats us = tp(Results.US, "noop", w);
			Stats peer = tp(Results.PEER, "noop", w);
			Stats bg = Stats.of(this.r.throughput.stream()
				.filter((t) -> t.kind().equals("noop") && t.workers() == w)
				.map(Results.Throughput::background)
				.toList());
			line("| " + w + " | " + us.format(Stats::integer) + " | " + peer.format(Stats::integer) + " | "
					+ ratio(us, peer) + " |"
					+ (ceiling ? " " + ceiling(w, w, 1).format(Stats::integer) + " | "
							+ ceiling(w, 1, w).format(Stats::integer) + " |" : "")
					+ " " + bg.format(ReportWriter::cores) + " |");
		}
		line();
		if (ceiling) {
			line("The Redis ceiling is `redis-benchmark` running the pool's own per-job script, an EVALSHA of "
					+ "`cycles.lua` (per turn: GET `worker:<id>`, record an `ok` outcome with DEL + INCR, GET the pause flag "
					+ "once per call, LPOP, SET `worker:<id>`; one INCRBY per call), a new random worker id per turn, against a "
					+ "pre-filled queue, in jobs/s; redis-benchmark itself runs on the same 2 cores. One difference from the "
					+ "pool's steady state: a new worker id holds no job yet, so the acknowledgement skips one `sha1hex` of "
					+ "the held status per turn, and the ceiling is slightly optimistic. \"1 turn per call, N "
					+ "connections\": `-c N`, each request one worker's turn (every worker on its own round trip). \"N turns "
					+ "per call, 1 connection\": `-c 1`, each request carrying N workers' turns, which is the most the pool's "
					+ "turn combiner can put in one call with N workers (the pool keeps up to two calls of a group in "
					+ "flight, each carrying the turns that met while the other was out).");
		}
		else if (this.r.ceilingSkipped != null) {
			line("_" + this.r.ceilingSkipped + "_");
		}
		line();
		chart(charts, "throughput-noop.png", "Throughput, no-op jobs");
		line("### 1 ms sleeping jobs");
		line();
		line("| Workers | jobs per run | resque-pool jobs/s | Jesque 2.2.0 jobs/s | resque-pool ÷ Jesque | bound: workers × 1 job/ms |");
		line("|---:|---:|---:|---:|---:|---:|");
		for (int w : this.options.counts()) {
			Stats us = tp(Results.US, "sleep1ms", w);
			Stats peer = tp(Results.PEER, "sleep1ms", w);
			line("| " + w + " | " + Stats.integer(this.options.sleepJobs(w)) + " | " + us.format(Stats::integer) + " | "
					+ peer.format(Stats::integer) + " | " + ratio(us, peer) + " | " + Stats.integer(w * 1000.0) + " |");
		}
		line();
		line("`Thread.sleep(1)` takes about 1.06–1.1 ms on Linux, so the bound is not reachable; what counts is how close each gets.");
		line();
		chart(charts, "throughput-sleep1ms.png", "Throughput, 1 ms jobs");
		perJob();
		profile();
	}

	private void perJob() {
		int p = this.options.profileCount();
		Optional<Results.Throughput> us = medianRun(Results.US, "noop", p);
		Optional<Results.Throughput> peer = medianRun(Results.PEER, "noop", p);
		if (us.isEmpty() && peer.isEmpty()) {
			return;
		}
		line("### Cost per job at " + p + " workers (no-op, the median run of each)");
		line();
		line("Redis and JVM CPU come from `/proc/<pid>/stat` and the JVM's thread CPU times over the run; Redis commands "
				+ "from `INFO commandstats` deltas (commands run inside scripts are counted too, and a script's own "
				+ "`usec` includes them).");
		line();
		line("| | resque-pool | Jesque 2.2.0 |");
		line("|---|---:|---:|");
		row("jobs/s", us, peer, (t) -> Stats.integer(t.jobsPerSecond()));
		row("Redis CPU per job (µs)", us, peer, (t) -> oneDecimal(t.redisCpu() * 1e6 / t.jobs()));
		row("Redis busy (cores)", us, peer, (t) -> cores(t.redisCpu() / t.seconds()));
		row("JVM CPU per job (µs), all threads", us, peer, (t) -> oneDecimal(t.cpu()[0] * 1e6 / t.jobs()));
		row("– worker threads", us, peer, (t) -> oneDecimal(t.cpu()[1] * 1e6 / t.jobs()));
		row("– Lettuce/Netty event loop", us, peer, (t) -> oneDecimal(t.cpu()[2] * 1e6 / t.jobs()));
		row("– other Java threads", us, peer, (t) -> oneDecimal(t.cpu()[3] * 1e6 / t.jobs()));
		row("– GC, JIT, VM", us, peer,
				(t) -> oneDecimal((t.cpu()[0] - t.cpu()[1] - t.cpu()[2] - t.cpu()[3]) * 1e6 / t.jobs()));
		row("JVM busy (cores)", us, peer, (t) -> cores(t.cpu()[0] / t.seconds()));
		row("other processes (cores)", us, peer, (t) -> cores(t.background()));
		row("Redis commands per job, incl. inside scripts", us, peer,
				(t) -> twoDecimals(t.commands().values().stream().mapToLong((c) -> c[0]).sum() / (double) t.jobs()));
		row("jobs per EVALSHA", us, peer, (t) -> twoDecimals(
				t.jobs() / (double) Math.max(1, t.commands().getOrDefault("evalsha", new long[2])[0])));
		row("EVALSHA per job", us, peer,
				(t) -> twoDecimals(t.commands().getOrDefault("evalsha", new long[2])[0] / (double) t.jobs()));
		row("EVALSHA usec_per_call (inside Redis)", us, peer, (t) -> {
			long[] e = t.commands().getOrDefault("evalsha", new long[2]);
			return (e[0] == 0) ? "–" : twoDecimals((double) e[1] / e[0]);
		});
		line();
		for (Optional<Results.Throughput> run : List.of(us, peer)) {
			run.ifPresent((t) -> {
				line("<details><summary>" + t.impl() + ": INFO commandstats during the run (" + Stats.integer(t.jobs())
						+ " jobs)</summary>");
				line();
				line("| command | calls | calls per job | usec | usec_per_call |");
				line("|---|---:|---:|---:|---:|");
				t.commands()
					.forEach((name,
							c) -> line("| " + name + " | " + Stats.integer(c[0]) + " | "
									+ twoDecimals(c[0] / (double) t.jobs()) + " | " + Stats.integer(c[1]) + " | "
									+ twoDecimals((double) c[1] / c[0]) + " |"));
				line();
				line("</details>");
				line();
			});
		}
	}

	private void row(String label, Optional<Results.Throughput> us, Optional<Results.Throughput> peer,
			Function<Results.Throughput, String> value) {
		line("| " + label + " | " + us.map(value).orElse("–") + " | " + peer.map(value).orElse("–") + " |");
	}

	private void profile() {
		Results.Profile profile = this.r.profile;
		if (profile == null) {
			return;
		}
		JfrSummary jfr = profile.jfr();
		line("### Where resque-pool's JVM time goes at " + profile.run().workers() + " workers (JFR)");
		line();
		Results.Throughput t = profile.run();
		double perJob = 1e6 / t.jobs();
		line("One more no-op batch of " + Stats.integer(t.jobs())
				+ " jobs on the pool of the last repetition (after its "
				+ "recorded batches, so fully warm), with a JFR recording (`profile` settings plus "
				+ (jfr.sampler().equals("jdk.CPUTimeSample")
						? "the JDK 25 CPU-time sampler, `jdk.CPUTimeSample` every 1 ms of CPU"
						: "`jdk.ExecutionSample` every 1 ms")
				+ "): " + Stats.integer(t.jobsPerSecond()) + " jobs/s with the " + "recording on; `"
				+ jfr.file().getFileName() + "` in the work directory (open it in JDK Mission Control). "
				+ Stats.integer(jfr.samples()) + " samples (`" + jfr.sampler() + "`).");
		line();
		line(String.format(Locale.ROOT,
				"CPU per job in this batch: JVM %.1f µs (worker threads %.1f, Lettuce event loop %.1f, "
						+ "other Java threads %.1f, GC/JIT/VM %.1f), Redis %.1f µs; %.2f jobs per EVALSHA, %.1f µs per EVALSHA inside Redis.",
				t.cpu()[0] * perJob, t.cpu()[1] * perJob, t.cpu()[2] * perJob, t.cpu()[3] * perJob,
				(t.cpu()[0] - t.cpu()[1] - t.cpu()[2] - t.cpu()[3]) * perJob, t.redisCpu() * perJob,
				t.jobs() / (double) Math.max(1, t.commands().getOrDefault("evalsha", new long[2])[0]),
				(double) t.commands().getOrDefault("evalsha", new long[2])[1]
						/ Math.max(1, t.commands().getOrDefault("evalsha", new long[2])[0])));
		line();
		profileTables(jfr);
	}

	/**
	 * The tables of a JFR summary: thread groups, libraries on the stack, hottest
	 * methods, hottest resque-pool methods, the event loop's hottest frames.
	 */
	private void profileTables(JfrSummary jfr) {
		line("| Thread group | samples | share |");
		line("|---|---:|---:|");
		jfr.byThread().forEach((k, v) -> line("| " + k + " | " + v + " | " + percent(v, jfr.samples()) + " |"));
		line();
		if (jfr.libraries() != null && !jfr.libraries().isEmpty()) {
			line("Samples with a library anywhere on the stack (inclusive, so a sample counts for each library on it):");
			line();
			line("| Library | samples | share |");
			line("|---|---:|---:|");
			jfr.libraries().forEach((k, v) -> line("| " + k + " | " + v + " | " + percent(v, jfr.samples()) + " |"));
		}
		line();
		line("Hottest methods (top frame of each sample):");
		line();
		line("| Method | samples | share |");
		line("|---|---:|---:|");
		jfr.topFrames().forEach((k, v) -> line("| `" + k + "` | " + v + " | " + percent(v, jfr.samples()) + " |"));
		line();
		line("Hottest resque-pool methods (the first `io.github.resquepool` frame of each sample, so including what they call):");
		line();
		line("| Method | samples | share |");
		line("|---|---:|---:|");
		jfr.ourFrames().forEach((k, v) -> line("| `" + k + "` | " + v + " | " + percent(v, jfr.samples()) + " |"));
		line();
		if (!jfr.lettuceFrames().isEmpty()) {
			line("Lettuce/Netty event loop, hottest top frames:");
			line();
			line("| Method | samples |");
			line("|---|---:|");
			jfr.lettuceFrames().forEach((k, v) -> line("| `" + k + "` | " + v + " |"));
			line();
		}
	}

	// ---- 2. pickup

	private void pickup() {
		line("## 2. Pickup latency");
		line();
		if (this.r.pickups.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("An idle pool of " + this.options.pickupCount() + " workers (default poll-interval 1 s, default "
				+ "`wake-up=auto`): "
				+ (this.options.runs("throughput")
						? "the throughput figure's pool of that size, after " + "its batches (warm, idle)"
						: "a pool of its own, after the throughput figure's warm-up batches")
				+ "; " + this.options.warmPickups()
				+ " unrecorded pickups through the path measured next (so that the JIT has compiled the wake-up too, "
				+ "as in a pool that has been up for a while), then " + this.options.pickupSamples()
				+ " jobs enqueued 20 ms apart by the runner's "
				+ "JVM, each carrying its enqueue time (epoch µs); the handler's first statement records now − enqueue time. "
				+ "ResqueClient enqueues run `enqueue.lua` (SADD, RPUSH, PUBLISH a wake-up). The plain RPUSH comes from "
				+ "another client, as Ruby's or `redis-cli`'s would, with no wake-up of ours: into the static queue list "
				+ "(`queues=bench`) it wakes the group's `BLMOVE` waiter; for `queues=*` a pool of its own, warmed up with the "
				+ "throughput figure's batches, runs on the same Redis with `CONFIG SET notify-keyspace-events El` for that measurement (set back afterwards), so the "
				+ "push's keyspace event wakes it. In both the poll is only the fallback: a p50 near 500 ms would be the "
				+ "poll. Jesque (same worker count) gets the same plain RPUSH; its idle workers poll every 500 ms. "
				+ ((this.r.sidekiqVersion != null) ? "Sidekiq " + this.r.sidekiqVersion
						+ " (16 processors, each blocked in "
						+ "`BRPOP` with a 2 s timeout) gets single jobs in its own format (LPUSH, as `Sidekiq::Client` does), "
						+ "which record their pick-up time in Redis for the runner to read. " : "")
				+ "Percentiles per repetition, then median (min–max) over repetitions.");
		line();
		line("| Pool | Enqueued by | p50 (ms) | p99 (ms) | max (ms) | jobs run / enqueued |");
		line("|---|---|---:|---:|---:|---:|");
		List<String[]> keys = List.of(new String[] { Results.US, Results.VIA_CLIENT },
				new String[] { Results.US, Results.FOREIGN }, new String[] { Results.US, Results.FOREIGN_STAR },
				new String[] { Results.PEER, Results.FOREIGN }, new String[] { Results.SIDEKIQ, Results.SIDEKIQ_PUSH });
		for (String[] k : keys) {
			List<Results.Pickup> runs = this.r.pickups.stream()
				.filter((p) -> p.impl().equals(k[0]) && p.path().equals(k[1]))
				.toList();
			if (runs.isEmpty()) {
				continue;
			}
			int got = runs.stream().mapToInt((p) -> p.micros().size()).sum();
			int sent = runs.stream().mapToInt(Results.Pickup::expected).sum();
			line("| " + label(k[0]) + " | " + k[1] + " | " + pickupStat(k[0], k[1], 50).format(ReportWriter::ms) + " | "
					+ pickupStat(k[0], k[1], 99).format(ReportWriter::ms) + " | "
					+ pickupStat(k[0], k[1], 100).format(ReportWriter::ms) + " | " + got + " / " + sent + " |");
		}
		line();
		if (this.r.sidekiqSkipped != null) {
			line("_" + this.r.sidekiqSkipped + "_");
			line();
		}
	}

	// ---- 3. start

	private void start() {
		line("## 3. Start");
		line();
		List<Results.Fleet> runs = this.r.fleets.stream()
			.filter((f) -> this.options.startSizes().contains(f.workers()) && !f.scaled())
			.toList();
		if (runs.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("Time from the pool's `start()` (a `SmartLifecycle` one phase before it notes the time) until `SCARD "
				+ "resque:workers` (polled every 0.5 ms from inside the pool's JVM) reaches 1 and N. Before its first "
				+ "worker the pool opens its Redis connections, recovers a predecessor, beats, subscribes and prunes, so "
				+ "\"→ first\" is the fixed cost and the rest the per-worker part. For context, the JVM's uptime "
				+ "at the pool's start and when the Spring context was up (the pool starts during the context's refresh).");
		line();
		line("| Workers | threads | start-interval | pool start → first registered (ms) | pool start → N registered (ms) | JVM start → pool start (ms) | JVM start → context up (ms) |");
		line("|---:|---|---:|---:|---:|---:|---:|");
		TreeSet<String> seen = new TreeSet<>();
		for (int w : this.options.startSizes()) {
			for (String threads : List.of("platform", "virtual")) {
				for (long interval : List.of(0L, this.options.startInterval().toMillis())) {
					Predicate<Results.Fleet> match = (f) -> f.workers() == w && f.threads().equals(threads)
							&& f.intervalMillis() == interval && !f.scaled();
					if (this.r.fleets.stream().noneMatch(match) || !seen.add(w + threads + interval)) {
						continue;
					}
					line("| " + w + " | " + threads + " | " + interval + " ms | "
							+ fleetStat(match, Results.Fleet::firstMillis).format(ReportWriter::oneDecimal) + " | "
							+ fleetStat(match, Results.Fleet::registeredMillis).format(ReportWriter::oneDecimal) + " | "
							+ fleetStat(match, Results.Fleet::poolStartMillis).format(Stats::integer) + " | "
							+ fleetStat(match, Results.Fleet::contextMillis).format(Stats::integer) + " |");
				}
			}
		}
		line();
	}

	// ---- 4. memory

	private void memory() {
		line("## 4. Memory");
		line();
		List<Results.Fleet> runs = this.r.fleets.stream().filter((f) -> f.heap() >= 0).toList();
		if (runs.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("Idle pools, measured inside the pool's JVM after three `System.gc()` calls: heap used (`MemoryMXBean`) and "
				+ "resident set size (`VmRSS` of `/proc/self/status`), child JVMs with `-Xmx1g`. The pool starts with "
				+ this.options.memoryMin() + " workers, is measured, then grows to " + this.options.memoryMax()
				+ " with `ResquePool.scale()` in the same JVM and is measured again once the new workers are idle; "
				+ "per-worker cost = the difference ÷ the added workers, per repetition.");
		line();
		line("| Threads | Workers | heap used (MB) | RSS (MB) | JVM platform threads |");
		line("|---|---:|---:|---:|---:|");
		for (String threads : List.of("platform", "virtual")) {
			for (int w : this.options.memorySizes()) {
				Predicate<Results.Fleet> match = (f) -> f.threads().equals(threads) && f.workers() == w
						&& f.heap() >= 0;
				if (runs.stream().noneMatch(match)) {
					continue;
				}
				line("| " + threads + " | " + w + " | "
						+ fleetStat(match, (f) -> f.heap() / 1e6).format(ReportWriter::oneDecimal) + " | "
						+ fleetStat(match, (f) -> f.rss() / 1e6).format(ReportWriter::oneDecimal) + " | "
						+ fleetStat(match, (f) -> (double) f.javaThreads()).format(Stats::integer) + " |");
			}
		}
		line();
		line("| Threads | heap per worker (KB) | RSS per worker (KB) |");
		line("|---|---:|---:|");
		for (String threads : List.of("platform", "virtual")) {
			Stats heap = perWorker(threads, Results.Fleet::heap);
			if (!heap.isEmpty()) {
				line("| " + threads + " | " + heap.format(ReportWriter::oneDecimal) + " | "
						+ perWorker(threads, Results.Fleet::rss).format(ReportWriter::oneDecimal) + " |");
			}
		}
		line();
		line("Platform threads keep their stacks outside the heap (in RSS); a parked virtual thread keeps its stack "
				+ "in the heap.");
		line();
	}

	/**
	 * Per-worker cost in KB between the smallest and largest memory size, median
	 * (min–max) over repetitions.
	 */
	private Stats perWorker(String threads, Function<Results.Fleet, Long> value) {
		int small = this.options.memorySizes().stream().min(Integer::compare).orElse(0);
		int big = this.options.memorySizes().stream().max(Integer::compare).orElse(0);
		if (small == big) {
			return Stats.NONE;
		}
		List<Double> values = new ArrayList<>();
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			int rp = rep;
			Optional<Results.Fleet> a = this.r.fleets.stream()
				.filter((f) -> f.threads().equals(threads) && f.workers() == small && f.rep() == rp && f.heap() >= 0)
				.findFirst();
			Optional<Results.Fleet> b = this.r.fleets.stream()
				.filter((f) -> f.threads().equals(threads) && f.workers() == big && f.rep() == rp && f.heap() >= 0)
				.findFirst();
			if (a.isPresent() && b.isPresent()) {
				values.add((value.apply(b.get()) - value.apply(a.get())) / 1024.0 / (big - small));
			}
		}
		return Stats.of(values);
	}

	// ---- 5. idle

	private void idle() {
		line("## 5. Idle Redis cost");
		line();
		List<Results.Fleet> runs = this.r.fleets.stream().filter((f) -> !Double.isNaN(f.idlePerSecond())).toList();
		if (runs.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("Idle pools with default settings (poll-interval 1 s, heartbeat-interval 30 s, recovery-timeout 30 s, so a "
				+ "beat every 5 s), measured over " + this.options.idleWindow().toSeconds() + " s after they settled: "
				+ "commands sent by clients (network round trips, counted with `MONITOR`), commands executed including "
				+ "those inside Lua scripts (`INFO stats` `total_commands_processed` delta), and the pool's Redis "
				+ "connections (`INFO clients` `connected_clients` minus the runner's own).");
		line();
		line("| Workers | commands sent/s | commands executed/s (incl. inside scripts) | Redis connections | commands sent per window |");
		line("|---:|---:|---:|---:|---|");
		for (int w : this.options.idleSizes()) {
			Predicate<Results.Fleet> match = (f) -> f.workers() == w && !Double.isNaN(f.idlePerSecond());
			if (runs.stream().noneMatch(match)) {
				continue;
			}
			Stats executed = fleetStat(match, (f) -> {
				long[] total = f.idleCommands().getOrDefault("(total_commands_processed)", new long[] { 0, 0 });
				long[] millis = f.idleCommands().getOrDefault("(seconds)", new long[] { 1000, 0 });
				return total[0] / (millis[0] / 1000.0);
			});
			Results.Fleet sample = runs.stream().filter(match).findFirst().get();
			String seen = commandsSeen(sample.idleCommands());
			line("| " + w + " | " + fleetStat(match, Results.Fleet::idlePerSecond).format(ReportWriter::twoDecimals)
					+ " | " + executed.format(ReportWriter::twoDecimals) + " | "
					+ fleetStat(match, (f) -> (double) f.clients()).format(Stats::integer) + " | " + seen + " |");
		}
		line();
	}

	// ---- 7. scheduler

	private Stats lateness(String pattern, double percentile) {
		return Stats.of(this.r.schedulerRuns.stream()
			.filter((x) -> x.pattern().equals(pattern))
			.map((x) -> Stats.percentile(x.micros(), percentile))
			.toList());
	}

	private Stats schedulerIdle(boolean enabled) {
		return Stats.of(this.r.schedulerIdle.stream()
			.filter((x) -> x.enabled() == enabled)
			.map(Results.SchedulerIdle::perSecond)
			.toList());
	}

	private void scheduler() {
		line("## 7. Scheduler");
		line();
		if (this.r.schedulerRuns.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		int items = this.r.schedulerRuns.get(0).expected();
		line("A pool child with its defaults holds resque-scheduler's master lock (the scheduler is on by default). "
				+ "The runner writes " + items + " delayed items with `ResqueClient.enqueueAt` into a queue no group "
				+ "watches and takes each with a `BLPOP` of its own as the scheduler moves it. *Lateness* is the runner's "
				+ "clock at that moment minus the start of the item's due second: resque-scheduler files items under whole "
				+ "seconds and an item is due when its second begins. *Written ahead*: all items written at once, due over "
				+ (this.options.quick() ? 3 : 10)
				+ " s. *Added while it waits*: a far item is due in over a minute, so "
				+ "the scheduler sleeps towards it; the items are written one by one over the same span, each due 1 to 2 s "
				+ "after it was written, and must wake it. Ruby's resque-scheduler polls every 5 s by default, so its "
				+ "items arrive up to 5 s late (2.5 s on average).");
		line();
		line("| Pattern | items arrived | p50 (ms) | p99 (ms) | max (ms) |");
		line("|---|---:|---:|---:|---:|");
		for (String pattern : List.of(Results.WRITTEN_AHEAD, Results.ADDED_WHILE_WAITING)) {
			List<Results.SchedulerRun> runs = this.r.schedulerRuns.stream()
				.filter((x) -> x.pattern().equals(pattern))
				.toList();
			String arrived = runs.stream()
				.map((x) -> x.micros().size() + "/" + x.expected())
				.collect(Collectors.joining(", "));
			line("| " + pattern + " | " + arrived + " | " + lateness(pattern, 50).format(ReportWriter::ms) + " | "
					+ lateness(pattern, 99).format(ReportWriter::ms) + " | "
					+ lateness(pattern, 100).format(ReportWriter::ms) + " |");
		}
		line();
		line("Idle cost: the same child with nothing delayed and no schedule, over "
				+ this.options.idleWindow().toSeconds()
				+ " s after it settled, against a child with `resque.scheduler.enabled=false`; commands sent by clients, "
				+ "counted with `MONITOR`.");
		line();
		line("| | commands sent/s | commands sent per window |");
		line("|---|---:|---|");
		for (boolean enabled : List.of(true, false)) {
			Optional<Results.SchedulerIdle> sample = this.r.schedulerIdle.stream()
				.filter((x) -> x.enabled() == enabled)
				.findFirst();
			String seen = sample.map((x) -> commandsSeen(x.commands())).orElse("");
			line("| " + (enabled ? "scheduler on, holding the lock" : "scheduler off") + " | "
					+ schedulerIdle(enabled).format(ReportWriter::twoDecimals) + " | " + seen + " |");
		}
		line();
	}

	/**
	 * What MONITOR saw in a window: each command with the calls clients sent and, when
	 * there were any, those run inside scripts; the runner's own entries (in parentheses)
	 * left out.
	 */
	private static String commandsSeen(Map<String, long[]> commands) {
		return commands.entrySet()
			.stream()
			.filter((e) -> !e.getKey().startsWith("("))
			.map((e) -> e.getKey() + " " + e.getValue()[0]
					+ ((e.getValue()[1] > 0) ? " (+" + e.getValue()[1] + " in scripts)" : ""))
			.collect(Collectors.joining(", "));
	}

	// ---- 6. recovery

	private void recovery() {
		line("## 6. Recovery after kill -9");
		line();
		if (this.r.recoveries.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("Pool A (4 workers) takes 4 long jobs; pool B (4 workers, another JVM) starts; A is killed with SIGKILL. "
				+ "Time from the kill until B runs each job again (B's handler reports its start). recovery-mode "
				+ "`requeue`, other settings default.");
		line();
		line("| recovery-timeout | kill → first job running again (s) | kill → all 4 running again (s) | target |");
		line("|---:|---:|---:|---:|");
		for (int timeout : this.options.recoveryTimeouts()) {
			List<Results.Recovery> runs = this.r.recoveries.stream()
				.filter((x) -> x.timeoutSeconds() == timeout)
				.toList();
			if (runs.isEmpty()) {
				continue;
			}
			line("| " + timeout + " s | "
					+ Stats.of(runs.stream().map(Results.Recovery::firstSeconds).toList())
						.format(ReportWriter::twoDecimals)
					+ " | " + Stats.of(runs.stream().map(Results.Recovery::lastSeconds).toList())
						.format(ReportWriter::twoDecimals)
					+ " | ≤ " + (timeout + 5) + " s |");
		}
		line();
	}

	// ---- JMH

	private void jmh() {
		line("## Micro-benchmarks (JMH)");
		line();
		if (this.r.jmh.isEmpty()) {
			line("Not run.");
			line();
			return;
		}
		line("JMH "
				+ (this.options.quick() ? "in the runner's JVM, one 200 ms iteration (smoke run only)"
						: "1 fork, 3 × 1 s warm-up, 5 × 1 s measurement")
				+ ". `PayloadBenchmarks`: the JVM side of a job without "
				+ "Redis. `RedisRoundTripBenchmarks`: round trips on one shared Lettuce connection against the embedded "
				+ "Redis, from 1 and 16 threads, in jobs/s — `cycle`: one worker's turn per `cycles.lua` EVALSHA through "
				+ "`ResqueRedis`; `cycleBatch16`: 16 workers' turns per EVALSHA; `combinedTurn`: each thread a worker, through "
				+ "the group's `GroupFetcher` (the pool's own path, minus job dispatch and wake-ups); `lpop`: a plain LPOP; "
				+ "`lpopThenSet`: LPOP + SET (crash-safe but not atomic, two round trips).");
		line();
		line("| Benchmark | Threads | Score | ± (99.9%) | Unit |");
		line("|---|---:|---:|---:|---|");
		for (Results.Jmh j : this.r.jmh) {
			line("| `" + j.benchmark() + "` | " + j.threads() + " | " + decimal(j.score()) + " | " + decimal(j.error())
					+ " | " + j.unit() + " |");
		}
		line();
	}

	private void notes() {
		if (this.r.notes.isEmpty()) {
			return;
		}
		line("## Notes from the run");
		line();
		this.r.notes.forEach((n) -> line("- " + n));
		line();
	}

	// ---- charts

	private List<String> charts() throws IOException {
		List<String> written = new ArrayList<>();
		if (this.r.throughput.isEmpty()) {
			return written;
		}
		Path dir = this.options.workDir().resolve("charts");
		List<Integer> counts = this.options.counts();
		Color ours = new Color(0, 114, 178);
		Color peer = new Color(213, 94, 0);
		List<Charts.Line> noop = new ArrayList<>();
		noop.add(new Charts.Line(Results.US + " (median)",
				counts.stream().map((w) -> tp(Results.US, "noop", w).median()).toList(), ours, false));
		noop.add(new Charts.Line(Results.PEER + " (median)",
				counts.stream().map((w) -> tp(Results.PEER, "noop", w).median()).toList(), peer, false));
		if (!this.r.ceilings.isEmpty()) {
			noop.add(new Charts.Line("Redis ceiling: 1 turn per EVALSHA, N connections",
					counts.stream().map((w) -> ceiling(w, w, 1).median()).toList(), new Color(120, 120, 120), true));
			noop.add(new Charts.Line("Redis ceiling: N turns per EVALSHA, 1 connection",
					counts.stream().map((w) -> ceiling(w, 1, w).median()).toList(), new Color(0, 158, 115), true));
		}
		Charts.throughput(dir.resolve("throughput-noop.png"), "No-op jobs: throughput against worker count", counts,
				noop);
		written.add("throughput-noop.png");
		List<Charts.Line> sleep = new ArrayList<>();
		sleep.add(new Charts.Line(Results.US + " (median)",
				counts.stream().map((w) -> tp(Results.US, "sleep1ms", w).median()).toList(), ours, false));
		sleep.add(new Charts.Line(Results.PEER + " (median)",
				counts.stream().map((w) -> tp(Results.PEER, "sleep1ms", w).median()).toList(), peer, false));
		sleep.add(new Charts.Line("bound: workers × 1 job/ms", counts.stream().map((w) -> w * 1000.0).toList(),
				new Color(120, 120, 120), true));
		Charts.throughput(dir.resolve("throughput-sleep1ms.png"), "1 ms jobs: throughput against worker count", counts,
				sleep);
		written.add("throughput-sleep1ms.png");
		Path docs = this.options.repoRoot().resolve("docs/benchmarks");
		Files.createDirectories(docs);
		for (String name : written) {
			Files.copy(dir.resolve(name), docs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		return written;
	}

	private void chart(List<String> charts, String name, String alt) {
		if (charts.contains(name)) {
			line("![" + alt + "](docs/benchmarks/" + name + ")");
			line();
		}
	}

	// ---- statistics helpers

	private Stats tp(String impl, String kind, int workers) {
		return Stats.of(this.r.throughput.stream()
			.filter((t) -> t.impl().equals(impl) && t.kind().equals(kind) && t.workers() == workers)
			.map(Results.Throughput::jobsPerSecond)
			.toList());
	}

	private Optional<Results.Throughput> medianRun(String impl, String kind, int workers) {
		List<Results.Throughput> runs = this.r.throughput.stream()
			.filter((t) -> t.impl().equals(impl) && t.kind().equals(kind) && t.workers() == workers)
			.sorted(Comparator.comparingDouble(Results.Throughput::jobsPerSecond))
			.toList();
		return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() / 2));
	}

	private Stats ceiling(int workers, int clients, int turns) {
		return Stats.of(this.r.ceilings.stream()
			.filter((c) -> c.workers() == workers && c.clients() == clients && c.turns() == turns)
			.map(Results.Ceiling::perSecond)
			.toList());
	}

	private Stats pickupStat(String impl, String path, double percentile) {
		return Stats.of(this.r.pickups.stream()
			.filter((p) -> p.impl().equals(impl) && p.path().equals(path) && !p.micros().isEmpty())
			.map((p) -> Stats.percentile(p.micros(), percentile))
			.toList());
	}

	private Stats fleetStat(Predicate<Results.Fleet> match, Function<Results.Fleet, Double> value) {
		return Stats.of(this.r.fleets.stream().filter(match).map(value).filter(Objects::nonNull).toList());
	}

	private static String ratio(Stats a, Stats b) {
		if (a.isEmpty() || b.isEmpty()) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.2f×", a.median() / b.median());
	}

	private static String ms(double micros) {
		return String.format(Locale.ROOT, (micros < 10_000) ? "%.2f" : "%.0f", micros / 1000);
	}

	private static String oneDecimal(double v) {
		return Stats.decimal(v, 1);
	}

	private static String twoDecimals(double v) {
		return Stats.decimal(v, 2);
	}

	private static String cores(double v) {
		return Stats.decimal(v, 2);
	}

	private static String decimal(double v) {
		return Stats.decimal(v, (Math.abs(v) >= 100) ? 0 : (Math.abs(v) >= 1) ? 2 : 4);
	}

	private static String percent(long part, long whole) {
		return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / Math.max(1, whole));
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

	private void line() {
		this.md.append('\n');
	}

}
