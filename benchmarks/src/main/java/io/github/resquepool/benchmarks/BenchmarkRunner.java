package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.benchmarks.child.JesqueChild;
import io.github.resquepool.benchmarks.child.PoolChild;
import io.github.resquepool.benchmarks.child.Probe;
import io.github.resquepool.benchmarks.jmh.PayloadBenchmarks;
import io.github.resquepool.benchmarks.jmh.RedisRoundTripBenchmarks;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.resque.ResqueConnection;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyTime;

/**
 * Runs every benchmark of resque-pool against an embedded Redis it starts itself and
 * writes {@code BENCHMARKS.md} with PNG charts. Whole-system figures come from child
 * JVMs: the real pool (a small Spring Boot application, {@link PoolChild}) in one, the
 * peer, Jesque 2.2.0 ({@link JesqueChild}), in another, alternating, repeated; JMH
 * measures the micro-benchmarks. See {@link Options#USAGE} for the arguments.
 */
public final class BenchmarkRunner {

	static final String QUEUE = "bench";

	/**
	 * The app figure's variant with a fleet-wide class limit and queue limit that never
	 * bind, to measure what limits cost.
	 */
	static final String APP_LIMITS = "app-limits";

	/** Set on the runner JVM that runs on the class path snapshot. */
	private static final String RELAUNCHED = "bench.relaunched";

	private final Options options;

	private final Results results = new Results();

	private final List<String> childJvm;

	private Path logs;

	private RedisProbe redis;

	private long redisPid;

	private ResqueClient resqueClient;

	private long quietSpent;

	/** The {@code sidekiq} command, or null when Ruby or Sidekiq is not installed. */
	private Path sidekiq;

	/** The Sidekiq reference's worker script, extracted into the work directory. */
	private Path sidekiqScript;

	/** The runner's view of database {@value #SIDEKIQ_DB}, Sidekiq's. */
	private RedisProbe sidekiqRedis;

	/**
	 * The class path of the app figure's children: the snapshot with its directories as
	 * jars (for the AOT cache).
	 */
	private String appClassPath;

	private long sidekiqBatches;

	/**
	 * The Redis database of the Sidekiq reference: none of its keys meets Resque's, in
	 * database 0.
	 */
	static final int SIDEKIQ_DB = 1;

	private BenchmarkRunner(Options options) {
		this.options = options;
		List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true"));
		if (options.quick()) {
			// Smoke runs only check that everything works; C1 only starts the children
			// faster.
			jvm.add("-XX:TieredStopAtLevel=1");
		}
		this.childJvm = List.copyOf(jvm);
	}

	/**
	 * Runs the benchmarks and exits: 0 when the report was written, 1 on a failure, 2 on
	 * wrong arguments.
	 * @param args see {@link Options#USAGE}
	 */
	public static void main(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		try {
			if (options.reportOnly() != null) {
				ResultsFile.Saved saved = ResultsFile.read(options.reportOnly());
				Path report = new ReportWriter(saved.options().writingTo(options.repoRoot(), options.workDir()),
						saved.results())
					.write();
				System.out.println("Wrote " + report + " from " + options.reportOnly());
				System.exit(0);
				return;
			}
			if (!Boolean.getBoolean(RELAUNCHED)) {
				System.exit(relaunch(options, args));
				return;
			}
			Path report = new BenchmarkRunner(options).run(String.join(" ", args));
			System.out.println("Wrote " + report);
			System.exit(0);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	/**
	 * Snapshots the class path, then runs the benchmarks in a new JVM on the snapshot
	 * (same JVM options), so that nothing this run loads can be rebuilt under it.
	 * @return the exit code of that JVM
	 */
	private static int relaunch(Options options, String[] args) throws IOException, InterruptedException {
		String classPath = ClassPathSnapshot.freeze(options.workDir().resolve("classpath"));
		List<String> command = new ArrayList<>();
		command.add(Child.javaCommand());
		command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
		command.add("-D" + RELAUNCHED + "=true");
		command.add("-cp");
		command.add(classPath);
		command.add(BenchmarkRunner.class.getName());
		command.addAll(List.of(args));
		Process runner = new ProcessBuilder(command).inheritIO().start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			runner.destroy();
			try {
				if (!runner.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
					runner.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				runner.destroyForcibly();
			}
		}));
		return runner.waitFor();
	}

	/**
	 * Runs the benchmarks in this JVM (for tests).
	 * @param args see {@link Options#USAGE}
	 * @return the written {@code BENCHMARKS.md}
	 * @throws Exception on a failure
	 */
	public static Path run(String... args) throws Exception {
		return new BenchmarkRunner(Options.parse(args)).run(String.join(" ", args));
	}

	private Path run(String arguments) throws Exception {
		long started = System.nanoTime();
		this.results.command = arguments.replaceAll("--(repo-root|work-dir) \\S+ ?", "").strip();
		Files.createDirectories(this.options.workDir());
		if (!Boolean.getBoolean(RELAUNCHED)) {
			ClassPathSnapshot.freeze(this.options.workDir().resolve("classpath"));
		}
		this.logs = this.options.workDir().resolve("logs");
		deleteTree(this.logs);
		Files.createDirectories(this.logs);
		RedisBenchmarkTool tool = RedisBenchmarkTool.find();
		if (!tool.isPresent()) {
			log("redis-benchmark is not on the PATH: the Redis ceiling is not measured "
					+ "(optional; install the redis-tools package to get it)");
		}
		try (EmbeddedRedisServer server = EmbeddedRedisServer.start()) {
			this.redis = new RedisProbe(server.port());
			this.redisPid = Long.parseLong(this.redis.info("server").get("process_id"));
			RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + server.port());
			ResqueRedis gateway = new ResqueRedis(
					new ResqueConnection(() -> lettuce, Duration.ofSeconds(5), new Connectivity(Clock.systemUTC())),
					new ResqueKeys("resque"));
			this.resqueClient = new ResqueClient(gateway, JsonMapper.builder().build(), false);
			this.sidekiqRedis = new RedisProbe(server.port(), SIDEKIQ_DB);
			try {
				this.results.machine.putAll(Machine.describe(this.redis, tool, this.childJvm));
				findSidekiq();
				log("Redis " + this.redis.info("server").get("redis_version") + " on port " + server.port() + "; "
						+ this.results.machine.get("CPU"));
				if (this.options.jmh()) {
					jmh();
				}
				if (this.options.runs("throughput")) {
					throughput();
					ceiling(tool);
				}
				if (this.options.runs("app")) {
					app();
				}
				if (this.options.runs("pickup") && !this.options.runs("throughput")) {
					pickupAlone();
				}
				if (this.options.runs("pickup")) {
					for (int rep = 1; rep <= this.options.reps(); rep++) {
						pickupStar(rep);
						if (this.sidekiq != null) {
							pickupSidekiq(rep);
						}
					}
				}
				if (this.options.runs("start") || this.options.runs("memory") || this.options.runs("idle")) {
					fleet();
				}
				if (this.options.runs("recovery")) {
					recovery();
				}
				if (this.options.runs("scheduler")) {
					scheduler();
				}
			}
			finally {
				lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
				this.sidekiqRedis.close();
				this.redis.close();
			}
		}
		this.results.seconds = (System.nanoTime() - started) / 1e9;
		this.results.generated = java.time.ZonedDateTime.now()
			.format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
		ResultsFile.write(this.options.workDir().resolve(ResultsFile.NAME), this.options, this.results);
		Path report = new ReportWriter(this.options, this.results).write();
		log("Done in " + Math.round(this.results.seconds) + " s");
		return report;
	}

	// ---- 1. throughput (with pickup and the profile on the same pools)

	private void throughput() throws IOException {
		List<Integer> counts = this.options.counts();
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			for (int i = 0; i < counts.size(); i++) {
				boolean usFirst = (rep + i) % 2 == 1;
				for (String impl : usFirst ? List.of(Results.US, Results.PEER) : List.of(Results.PEER, Results.US)) {
					throughputRun(impl, counts.get(i), rep);
				}
			}
		}
	}

	/**
	 * The pool's own metrics and observation, left out of the bare figure and of
	 * {@code app-no-metrics}.
	 */
	static final String NO_POOL_METRICS = "--spring.autoconfigure.exclude="
			+ "io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration,"
			+ "io.github.resquepool.autoconfigure.metrics.ResquePoolObservationAutoConfiguration";

	/**
	 * The application users run, 16 workers, no-op jobs, beside Jesque (and Sidekiq, when
	 * it is installed) in the same run: the first batch after the start (cold), then one
	 * more batch (warm); also without the pool's metrics and observation, to show what
	 * they cost, and, on JDK 25+, started from an AOT cache of a training run. All its
	 * JVMs run on the class path of jars.
	 */
	private void app() throws IOException {
		int workers = 16;
		this.appClassPath = ClassPathSnapshot.jarred(this.options.workDir().resolve("classpath-jars"));
		Path aot = aotCache(workers);
		List<String> variants = new ArrayList<>(List.of("app", "app-no-metrics", APP_LIMITS));
		if (aot != null) {
			variants.add(Results.APP_AOT);
		}
		variants.add(Results.PEER);
		if (this.sidekiq != null) {
			variants.add(Results.SIDEKIQ);
		}
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			List<String> order = new ArrayList<>(variants);
			java.util.Collections.rotate(order, rep - 1);
			for (String variant : order) {
				this.redis.flushAll();
				boolean sidekiq = variant.equals(Results.SIDEKIQ);
				boolean us = !variant.equals(Results.PEER) && !sidekiq;
				String impl = us ? Results.US : variant;
				String name = variant.replace(' ', '-').replace('.', '-') + "-rep" + rep;
				awaitQuiet();
				long launched = System.nanoTime();
				try (Child child = us
						? appChild(name, workers, variant,
								variant.equals(Results.APP_AOT) ? List.of("-XX:AOTCache=" + aot) : List.of())
						: sidekiq ? sidekiqChild(name, workers) : jesqueChild(name, workers, this.appClassPath)) {
					child.await("registered", Duration.ofMinutes(2));
					double startMillis = (System.nanoTime() - launched) / 1e6;
					sleep(300);
					if (impl.equals(Results.PEER)) {
						pauseBetweenBatches(child, false);
					}
					awaitQuiet(child);
					String kind = variant.equals(APP_LIMITS) ? "limitednoop" : "noop";
					Results.Throughput cold = batch(child, impl, kind, workers, rep, this.options.jobs(), null);
					if (!sidekiq) {
						pauseBetweenBatches(child, us);
					}
					awaitQuiet(child);
					Results.Throughput warm = batch(child, impl, kind, workers, rep, this.options.jobs(), null);
					this.results.apps.add(new Results.App(variant, rep, cold, warm, startMillis));
					if (variant.equals("app") && rep == this.options.reps() && this.options.profile()) {
						appProfile(child, workers);
					}
					log(String.format(
							"app %-15s rep %d: launch to registered %,.0f ms, cold %,9.0f jobs/s, warm %,9.0f jobs/s, %.1f µs CPU per job warm",
							variant, rep, startMillis, cold.jobsPerSecond(), warm.jobsPerSecond(),
							warm.cpu()[0] * 1e6 / warm.jobs()));
				}
			}
		}
	}

	/**
	 * One more warm batch of the {@code app} child of the last repetition, with JFR on.
	 */
	private void appProfile(Child child, int workers) throws IOException {
		Path jfr = this.options.workDir().resolve("profile-app.jfr");
		Files.deleteIfExists(jfr);
		pauseBetweenBatches(child, true);
		awaitQuiet(child);
		Results.Throughput run = batch(child, Results.US, "noop", workers, 0, this.options.jobs(), jfr);
		String pid = String.valueOf(child.pid());
		this.results.appProfile = new Results.Profile(run,
				JfrSummary.read(jfr, (name) -> name.contains(":" + pid + "-")));
		log(String.format("app profile (JFR on): %,.0f jobs/s; recording %s", run.jobsPerSecond(), jfr));
	}

	/**
	 * A child of the app figure: the application users run, on the class path of jars.
	 */
	private Child appChild(String name, int workers, String variant, List<String> jvm) {
		List<String> extra = new ArrayList<>(List.of("--bench.web=true", "--server.port=0",
				"--management.endpoints.web.exposure.include=health,metrics,prometheus"));
		if (variant.equals("app-no-metrics")) {
			extra.add(NO_POOL_METRICS);
		}
		if (variant.equals(APP_LIMITS)) {
			// A queue limit that never binds, beside the class limit of the jobs.
			extra.add("--resque.pool.queue-limits." + QUEUE + "=100000");
		}
		extra.addAll(this.options.appArgs());
		return poolChild(name, workers, true, extra, jvm, QUEUE, this.appClassPath);
	}

	/**
	 * The AOT cache of the app figure (JDK 25+, JEP 514): a training run of the
	 * {@code app} child with {@code -XX:AOTCacheOutput}, which starts, runs one batch of
	 * no-op jobs and exits; the JVM writes the cache as it exits.
	 * @return the cache, or null when this JDK has none or the training run wrote none
	 */
	private Path aotCache(int workers) throws IOException {
		int feature = Runtime.version().feature();
		if (feature < 25) {
			this.results.aotSkipped = "This run's JDK is " + Runtime.version()
					+ "; the AOT cache (`-XX:AOTCacheOutput`, "
					+ "JEP 514) needs JDK 25 or newer, so `app-aot` was not measured. Run the benchmarks with "
					+ "`JAVA_HOME` set to a JDK 25 to get it.";
			log(this.results.aotSkipped);
			return null;
		}
		Path file = this.options.workDir().resolve("app.aot");
		Files.deleteIfExists(file);
		this.redis.flushAll();
		long t0 = System.nanoTime();
		Child child = appChild("app-aot-training", workers, "app", List.of("-XX:AOTCacheOutput=" + file));
		boolean clean;
		try {
			child.await("registered", Duration.ofMinutes(2));
			sleep(300);
			batch(child, Results.US, "noop", workers, 0, this.options.jobs(), null);
		}
		finally {
			// The JVM writes the cache as it exits: that takes a while on 2 cores.
			clean = child.close(Duration.ofMinutes(5));
		}
		this.results.aotTrainingSeconds = (System.nanoTime() - t0) / 1e9;
		if (!Files.isRegularFile(file) || Files.size(file) == 0) {
			this.results.aotSkipped = "The training run (`-XX:AOTCacheOutput`) wrote no AOT cache"
					+ (clean ? "" : " (it did not exit cleanly)")
					+ "; see `logs/app-aot-training-*.log` in the work directory. `app-aot` was not measured.";
			log(this.results.aotSkipped);
			return null;
		}
		this.results.aotCacheBytes = Files.size(file);
		log(String.format("app-aot training: %.1f s, AOT cache %s, %.1f MB", this.results.aotTrainingSeconds, file,
				this.results.aotCacheBytes / 1e6));
		return file;
	}

	/**
	 * One child per implementation, worker count and repetition: a warm-up batch, the
	 * no-op batch, the 1 ms batch; then, on the right pools, the JFR-profiled batch and
	 * the pickup measurements (the pool is idle and warm by then).
	 */
	private void throughputRun(String impl, int workers, int rep) throws IOException {
		this.redis.flushAll();
		boolean us = impl.equals(Results.US);
		String name = "throughput-" + (us ? "pool" : "jesque") + "-" + workers + "w-rep" + rep;
		try (Child child = us ? poolChild(name, workers, true, List.of(NO_POOL_METRICS), List.of())
				: jesqueChild(name, workers)) {
			int warmUps = registeredThenWarm(child, impl, workers);
			this.results.warmUps.add(new Results.WarmUp(impl, workers, rep, warmUps, warmUpJobs()));
			for (String kind : List.of("noop", "sleep1ms")) {
				pauseBetweenBatches(child, us);
				int jobs = kind.equals("noop") ? this.options.jobs() : this.options.sleepJobs(workers);
				awaitQuiet(child);
				Results.Throughput run = batch(child, impl, kind, workers, rep, jobs, null);
				this.results.throughput.add(run);
				log(String.format(
						"throughput %-13s %-8s %2d workers rep %d: %,9.0f jobs/s (%,d jobs in %.2f s; other processes %.2f cores)",
						impl, kind, workers, rep, run.jobsPerSecond(), jobs, run.seconds(), run.background()));
			}
			if (us && this.options.profile() && workers == this.options.profileCount() && rep == this.options.reps()) {
				profile(child, workers);
			}
			if (this.options.runs("pickup") && workers == this.options.pickupCount()) {
				pickup(child, impl, rep);
			}
		}
	}

	/**
	 * Waits until the child, started paused, has registered its workers, then runs the
	 * warm-up batches; the last batch leaves the workers running.
	 * @return the number of warm-up batches
	 */
	private int registeredThenWarm(Child child, String impl, int workers) {
		child.await("registered", Duration.ofMinutes(2));
		sleep(300);
		return warmUp(child, impl, workers);
	}

	/**
	 * Warm-up batches of no-op jobs, not recorded, until the JIT has settled: at least 3,
	 * then until two batches in a row agree within 5% (at most 10). On 2 shared cores C2
	 * is still compiling well after the first 100,000 jobs, on both sides.
	 * @return the number of warm-up batches
	 */
	private int warmUp(Child child, String impl, int workers) {
		int max = this.options.quick() ? 1 : 10;
		double previous = Double.NaN;
		int batches = 0;
		while (batches < max) {
			if (batches > 0) {
				pauseBetweenBatches(child, impl.equals(Results.US));
			}
			double rate = batch(child, impl, "noop", workers, 0, warmUpJobs(), null).jobsPerSecond();
			batches++;
			if (batches >= 3 && Math.abs(rate - previous) <= 0.05 * previous) {
				break;
			}
			previous = rate;
		}
		return batches;
	}

	private int warmUpJobs() {
		return Math.max(200, this.options.jobs() / 5);
	}

	private static void pauseBetweenBatches(Child child, boolean us) {
		child.call("pause");
		// Jesque's idle workers sleep 500 ms between polls before they see the pause.
		sleep(us ? 300 : 800);
	}

	private Results.Throughput batch(Child child, String impl, String kind, int workers, int rep, int jobs, Path jfr) {
		boolean sidekiq = impl.equals(Results.SIDEKIQ);
		if (sidekiq) {
			// Sidekiq cannot be paused: the batch waits in a list of its own until it is
			// renamed to the queue.
			this.sidekiqRedis.command("DEL", SIDEKIQ_STAGING);
			long batchId = ++this.sidekiqBatches;
			this.sidekiqRedis.push(SIDEKIQ_STAGING, (i) -> sidekiqJob("BenchNoop", "", batchId, i), jobs);
			child.call("expect " + jobs);
		}
		else {
			this.redis.prefill(QUEUE, payload(kind), jobs);
		}
		Map<String, long[]> before = this.redis.commandStats();
		double redisCpu = this.redis.cpuSeconds();
		CpuMeter meter = CpuMeter.start(this.redisPid, child.pid());
		if (sidekiq) {
			this.sidekiqRedis.command("RENAME", SIDEKIQ_STAGING, "queue:" + QUEUE);
		}
		else {
			child.call("expect " + jobs);
			if (jfr != null) {
				child.call("jfr-start");
			}
			child.call("resume");
		}
		String[] done = child.await("done", Duration.ofSeconds(Math.max(180, jobs / 100)));
		double[] cpu = meter.stop();
		redisCpu = this.redis.cpuSeconds() - redisCpu;
		Map<String, long[]> commands = RedisProbe.delta(before, this.redis.commandStats());
		commands.remove("info");
		if (jfr != null) {
			child.call("jfr-stop " + jfr);
		}
		long left = sidekiq ? (Long) this.sidekiqRedis.command("LLEN", "queue:" + QUEUE) : this.redis.length(QUEUE);
		if (left != 0) {
			this.results.notes
				.add(impl + " " + kind + " " + workers + " workers: " + left + " jobs left in the queue after 'done'");
		}
		double[] childCpu = new double[4];
		for (int i = 0; i < 4; i++) {
			childCpu[i] = Long.parseLong(done[3 + i]) / 1e9;
		}
		return new Results.Throughput(impl, kind, workers, rep, jobs, Long.parseLong(done[2]) / 1e9, childCpu, redisCpu,
				cpu[2], commands);
	}

	/** Where a Sidekiq batch waits until it is released. */
	static final String SIDEKIQ_STAGING = "bench:staging";

	/**
	 * A job in Sidekiq's own format, as {@code Sidekiq::Client} pushes it (a new jid for
	 * each).
	 * @param type the worker class
	 * @param args the JSON of its arguments, without brackets
	 * @param batch a batch number, for the jid
	 * @param i the job's index, for the jid
	 * @return the JSON
	 */
	static byte[] sidekiqJob(String type, String args, long batch, long i) {
		double now = System.currentTimeMillis() / 1000.0;
		return String.format(java.util.Locale.ROOT,
				"{\"retry\":false,\"queue\":\"%s\",\"class\":\"%s\",\"args\":[%s],\"jid\":\"%08x%016x\",\"created_at\":%.6f,\"enqueued_at\":%.6f}",
				QUEUE, type, args, batch, i, now, now)
			.getBytes(StandardCharsets.UTF_8);
	}

	static String payload(String kind) {
		return switch (kind) {
			case "noop" -> "{\"class\":\"Bench::Noop\",\"args\":[]}";
			case "sleep1ms" -> "{\"class\":\"Bench::Sleep1ms\",\"args\":[]}";
			case "limitednoop" -> "{\"class\":\"Bench::LimitedNoop\",\"args\":[]}";
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/**
	 * The Redis ceiling: redis-benchmark of the pool's per-job script,
	 * {@code cycles.lua}, in two shapes: one worker's turn per EVALSHA on N connections,
	 * and N workers' turns per EVALSHA on one connection with one call in flight (the
	 * most the pool's turn combiner puts in one call).
	 */
	private void ceiling(RedisBenchmarkTool tool) throws IOException {
		if (!tool.isPresent()) {
			this.results.ceilingSkipped = "redis-benchmark is not installed on this machine (package redis-tools), "
					+ "so the Redis ceiling was not measured.";
			return;
		}
		this.redis.flushAll();
		String source = resource("lib.lua") + "\n" + resource("cycles.lua");
		int requests = this.options.jobs();
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			for (int workers : this.options.counts()) {
				List<int[]> modes = (workers == 1) ? List.of(new int[] { 1, 1 })
						: List.of(new int[] { workers, 1 }, new int[] { 1, workers });
				for (int[] mode : modes) {
					int clients = mode[0];
					int turns = mode[1];
					this.redis.command("FLUSHALL");
					String sha = (String) this.redis.command("SCRIPT", "LOAD", source);
					// The fetch script takes jobs only for a registered pool.
					this.redis.command("SADD", "resque:resquepool:pool:" + BENCH_POOL + ":workers",
							"bench-host:1-1:bench");
					int calls = Math.max(1, requests / turns);
					this.redis.prefill(QUEUE, payload("noop"), calls * turns + 1000);
					awaitQuiet();
					Optional<Double> rps = tool.run(this.redis.port(), calls, clients, 1, cyclesCommand(sha, turns));
					long left = this.redis.length(QUEUE);
					// A few random worker ids repeat (2e9 of them): such a turn resumes
					// instead of taking a job.
					if (Math.abs(left - 1000) > requests / 1000) {
						this.results.notes
							.add("redis-benchmark -c " + clients + " with " + turns + " turns per EVALSHA left " + left
									+ " jobs instead of 1000: not every turn took a job");
					}
					rps.ifPresent(
							(v) -> this.results.ceilings.add(new Results.Ceiling(workers, clients, turns, v * turns)));
					log(String.format(
							"ceiling redis-benchmark EVALSHA cycles.lua -c %d, %d turn(s) per call, rep %d: %,.0f jobs/s",
							clients, turns, rep, rps.orElse(Double.NaN) * turns));
				}
			}
		}
		this.redis.flushAll();
	}

	/** The pool id of the script-only ceiling measurement. */
	static final String BENCH_POOL = "bench-host:1:ceiling";

	/**
	 * The EVALSHA a group sends for {@code turns} workers: prefix, run_at, the pool, the
	 * largest payload taken (10 MB), no queues set size (a static list), the static queue
	 * list, no queue limits, no class limits, then per worker its id (a new random one
	 * per request, so the "ok" outcome of its previous job is recorded: GET, DEL, INCR),
	 * no failure entry, and "take a job".
	 */
	static List<String> cyclesCommand(String sha, int turns) {
		List<String> command = new ArrayList<>(List.of("EVALSHA", sha, "0", "resque:", RubyTime.runAt(Instant.now()),
				BENCH_POOL, "10485760", "", "1", QUEUE, "0", "0"));
		for (int i = 0; i < turns; i++) {
			// A turn is 11 values (cycles.lua); the next five are for jobs with retries
			// and the last for a checkpoint, empty here.
			command.addAll(List.of("bench-host:1-__rand_int__:bench", "ok", "0000000000000000000000000000000000000000",
					"", "1", "", "", "", "", "", ""));
		}
		return command;
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = ResqueRedis.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IOException("no " + name + " next to ResqueRedis");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/**
	 * One more no-op batch with JFR on, on the pool of the last repetition at 16 workers.
	 */
	private void profile(Child child, int workers) throws IOException {
		Path jfr = this.options.workDir().resolve("profile-" + workers + "w.jfr");
		Files.deleteIfExists(jfr);
		pauseBetweenBatches(child, true);
		awaitQuiet(child);
		int jobs = 5 * this.options.jobs();
		Results.Throughput run = batch(child, Results.US, "noop", workers, 0, jobs, jfr);
		String pid = String.valueOf(child.pid());
		this.results.profile = new Results.Profile(run, JfrSummary.read(jfr, (name) -> name.contains(":" + pid + "-")));
		log(String.format("profile (JFR on) %d workers: %,.0f jobs/s; recording %s", workers, run.jobsPerSecond(),
				jfr));
	}

	// ---- 2. pickup latency

	/** Pickup without a throughput figure: children of their own. */
	private void pickupAlone() {
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			for (String impl : (rep % 2 == 1) ? List.of(Results.US, Results.PEER) : List.of(Results.PEER, Results.US)) {
				this.redis.flushAll();
				boolean us = impl.equals(Results.US);
				int workers = this.options.pickupCount();
				String name = "pickup-" + (us ? "pool" : "jesque") + "-rep" + rep;
				try (Child child = us ? poolChild(name, workers, true, List.of(), List.of())
						: jesqueChild(name, workers)) {
					// Warm, as the throughput figure's pools are when they measure it.
					registeredThenWarm(child, impl, workers);
					pickup(child, impl, rep);
				}
			}
		}
	}

	/**
	 * Measures pickup latency on an idle pool: a warm-up, then jobs 20 ms apart through
	 * ResqueClient (resque-pool only) and through a plain RPUSH of another client.
	 */
	private void pickup(Child child, String impl, int rep) {
		boolean us = impl.equals(Results.US);
		int samples = this.options.pickupSamples();
		this.redis.command("SADD", "resque:queues", QUEUE);
		sleep(this.options.quick() ? 300 : 1500);
		Runnable client = () -> this.resqueClient.enqueue(QUEUE, "Bench::Pickup", Probe.nowMicros());
		Runnable foreign = () -> this.redis.command("RPUSH", "resque:queue:" + QUEUE, pickupPayload());
		BiConsumer<Integer, Duration> drain = (count, patience) -> latencies(child, count, patience);
		warmPickup(us ? client : foreign, drain);
		if (us) {
			warmPickup(foreign, drain);
		}
		String line = "pickup " + impl + " " + this.options.pickupCount() + " workers rep " + rep + ":";
		if (us) {
			awaitQuiet(child);
			spaced(samples, client);
			List<Long> viaClient = latencies(child, samples, Duration.ofSeconds(5));
			this.results.pickups.add(new Results.Pickup(impl, Results.VIA_CLIENT, rep, viaClient, samples));
			line += String.format(" ResqueClient p50 %.2f ms p99 %.2f ms;", Stats.percentile(viaClient, 50) / 1000,
					Stats.percentile(viaClient, 99) / 1000);
		}
		awaitQuiet(child);
		spaced(samples, foreign);
		List<Long> viaRpush = latencies(child, samples, Duration.ofSeconds(4));
		this.results.pickups.add(new Results.Pickup(impl, Results.FOREIGN, rep, viaRpush, samples));
		log(line + String.format(" RPUSH p50 %.1f ms p99 %.1f ms", Stats.percentile(viaRpush, 50) / 1000,
				Stats.percentile(viaRpush, 99) / 1000));
	}

	/**
	 * Pickup of foreign pushes into an idle pool whose group's queues are {@code *}:
	 * Redis publishes list keyspace events for this measurement
	 * ({@code CONFIG SET notify-keyspace-events El}, set back afterwards), poll-interval
	 * at its default; warm-up batches as in the throughput figure and the unrecorded
	 * pickups of {@link Options#warmPickups()}, then the samples.
	 */
	private void pickupStar(int rep) {
		List<String> config = RedisProbe.list(this.redis.command("CONFIG", "GET", "notify-keyspace-events"));
		String original = (config.size() > 1) ? config.get(1) : "";
		this.redis.flushAll();
		this.redis.command("CONFIG", "SET", "notify-keyspace-events", "El");
		// Known before the start: the * group finds queues through this set.
		this.redis.command("SADD", "resque:queues", QUEUE);
		int workers = this.options.pickupCount();
		try (Child child = poolChild("pickup-pool-star-rep" + rep, workers, true,
				List.of("--logging.level.io.github.resquepool.pool=INFO"), List.of(), "*", null)) {
			// As warm as the static list's pool, which measures after the throughput
			// batches.
			registeredThenWarm(child, Results.US, workers);
			int samples = this.options.pickupSamples();
			sleep(this.options.quick() ? 300 : 1500);
			Runnable foreign = () -> this.redis.command("RPUSH", "resque:queue:" + QUEUE, pickupPayload());
			warmPickup(foreign, (count, patience) -> latencies(child, count, patience));
			awaitQuiet(child);
			spaced(samples, foreign);
			List<Long> micros = latencies(child, samples, Duration.ofSeconds(4));
			this.results.pickups.add(new Results.Pickup(Results.US, Results.FOREIGN_STAR, rep, micros, samples));
			log(String.format("pickup %s %d workers, queues *, keyspace events, rep %d: RPUSH p50 %.2f ms p99 %.2f ms",
					Results.US, workers, rep, Stats.percentile(micros, 50) / 1000,
					Stats.percentile(micros, 99) / 1000));
		}
		finally {
			this.redis.command("CONFIG", "SET", "notify-keyspace-events", original);
		}
	}

	/**
	 * Pickup of the Sidekiq reference: an idle Sidekiq (16 processors), single jobs in
	 * Sidekiq's format LPUSHed 20 ms apart; each records its pick-up time in Redis, next
	 * to its enqueue time.
	 */
	private void pickupSidekiq(int rep) {
		this.redis.flushAll();
		try (Child child = sidekiqChild("pickup-sidekiq-rep" + rep, 16)) {
			child.await("registered", Duration.ofMinutes(2));
			sleep(this.options.quick() ? 300 : 1500);
			long batch = ++this.sidekiqBatches;
			java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
			Runnable push = () -> this.sidekiqRedis.command("LPUSH", "queue:" + QUEUE,
					new String(sidekiqJob("BenchPickup", String.valueOf(Probe.nowMicros()), batch, n.incrementAndGet()),
							StandardCharsets.UTF_8));
			// The same unrecorded pickups as the pools get before their samples.
			warmPickup(push, this::sidekiqLatencies);
			int samples = this.options.pickupSamples();
			awaitQuiet(child);
			spaced(samples, push);
			List<Long> micros = sidekiqLatencies(samples, Duration.ofSeconds(4));
			this.results.pickups.add(new Results.Pickup(Results.SIDEKIQ, Results.SIDEKIQ_PUSH, rep, micros, samples));
			log(String.format("pickup Sidekiq %s, 16 processors, rep %d: LPUSH p50 %.2f ms p99 %.2f ms",
					this.results.sidekiqVersion, rep, Stats.percentile(micros, 50) / 1000,
					Stats.percentile(micros, 99) / 1000));
		}
	}

	/**
	 * Reads and removes what Sidekiq's BenchPickup jobs recorded: picked-up − enqueued,
	 * microseconds.
	 */
	private List<Long> sidekiqLatencies(int expected, Duration patience) {
		List<Long> all = new ArrayList<>();
		long deadline = System.nanoTime() + patience.toNanos();
		do {
			sleep(200);
			Object reply;
			do {
				reply = this.sidekiqRedis.command("LPOP", "bench:pickups");
				if (reply != null) {
					String[] times = String.valueOf(reply).split(" ");
					all.add(Long.parseLong(times[1]) - Long.parseLong(times[0]));
				}
			}
			while (reply != null);
		}
		while (all.size() < expected && System.nanoTime() < deadline);
		all.sort(Comparator.naturalOrder());
		return all;
	}

	private static String pickupPayload() {
		return "{\"class\":\"Bench::Pickup\",\"args\":[" + Probe.nowMicros() + "]}";
	}

	/**
	 * Unrecorded pickups through the path about to be measured, so that the JIT has
	 * compiled the wake-up as well as the batch path before the samples: a pool that has
	 * been up for a while has done both many times.
	 * @param enqueue one enqueue of the path
	 * @param drain reads and forgets the given number of latencies, waiting at most the
	 * given time
	 */
	private void warmPickup(Runnable enqueue, BiConsumer<Integer, Duration> drain) {
		int count = this.options.warmPickups();
		spaced(count, enqueue);
		drain.accept(count, Duration.ofSeconds(3 + count / 40));
	}

	/** Runs an enqueue every 20 ms, on schedule. */
	private static void spaced(int count, Runnable enqueue) {
		long next = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			enqueue.run();
			next += 20_000_000L;
		}
	}

	private List<Long> latencies(Child child, int expected, Duration patience) {
		List<Long> all = new ArrayList<>();
		long deadline = System.nanoTime() + patience.toNanos();
		do {
			sleep(200);
			child.send("latencies");
			String[] event = child.await("latencies", Duration.ofSeconds(30));
			if (event.length > 2 && !event[2].isEmpty()) {
				for (String v : event[2].split(",")) {
					all.add(Long.parseLong(v));
				}
			}
		}
		while (all.size() < expected && System.nanoTime() < deadline);
		all.sort(Comparator.naturalOrder());
		return all;
	}

	// ---- 3-5. start, memory, idle cost

	private void fleet() {
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			for (int workers : this.options.platformSizes()) {
				fleetRun("platform", workers, 0, rep,
						this.options.runs("idle") && this.options.idleSizes().contains(workers),
						this.options.runs("memory") && workers == this.options.memoryMin());
			}
			if (this.options.runs("memory")) {
				fleetRun("virtual", this.options.memoryMin(), 0, rep, false, true);
			}
			if (this.options.runs("start") && !this.options.startInterval().isZero()) {
				for (int workers : this.options.startSizes()) {
					fleetRun("platform", workers, this.options.startInterval().toMillis(), rep, false, false);
				}
			}
		}
	}

	/**
	 * One pool child: its start time; its idle cost when asked; its memory when asked, at
	 * its size and again after {@code ResquePool.scale} to the largest memory size, in
	 * the same JVM.
	 */
	private void fleetRun(String threads, int workers, long intervalMillis, int rep, boolean idle, boolean memory) {
		this.redis.flushAll();
		int baseClients = this.redis.connectedClients();
		List<String> extra = new ArrayList<>();
		if (threads.equals("virtual")) {
			extra.add("--spring.threads.virtual.enabled=true");
		}
		if (intervalMillis > 0) {
			extra.add("--resque.pool.start-interval=" + intervalMillis + "ms");
		}
		String name = "fleet-" + threads + "-" + workers + "w"
				+ ((intervalMillis > 0) ? "-interval" + intervalMillis : "") + "-rep" + rep;
		awaitQuiet();
		try (Child child = poolChild(name, workers, false, extra, List.of())) {
			Duration patience = Duration.ofMinutes(2).plusMillis(2 * workers * intervalMillis);
			String[] registered = child.await("registered", patience);
			String[] ready = child.await("context-ready", patience);
			String[] starting = child.await("pool-starting", Duration.ofSeconds(5));
			sleep(this.options.settle().toMillis());
			int clients = this.redis.connectedClients() - baseClients;
			double perSecond = Double.NaN;
			Map<String, long[]> commands = Map.of();
			if (idle) {
				awaitQuiet(child);
				long total = this.redis.totalCommands();
				MonitorWindow window = monitorWindow();
				long executed = this.redis.totalCommands() - total - 1;
				perSecond = window.sentPerSecond();
				Map<String, long[]> withTotal = new java.util.TreeMap<>(window.commands());
				withTotal.put("(total_commands_processed)", new long[] { executed, 0 });
				withTotal.put("(seconds)", new long[] { Math.round(window.seconds() * 1000), 0 });
				commands = withTotal;
			}
			Results.Fleet run = new Results.Fleet(threads, workers, intervalMillis, rep,
					Double.parseDouble(registered[2]), Double.parseDouble(registered[3]), Double.parseDouble(ready[1]),
					Double.parseDouble(starting[1]), clients, perSecond, commands, -1, -1, -1, false);
			if (memory) {
				run = memory(child, run);
				this.results.fleets.add(run);
				int big = this.options.memoryMax();
				child.call("scale " + big);
				String[] scaled = child.await("scaled", Duration.ofMinutes(2));
				sleep(this.options.settle().toMillis());
				int bigClients = this.redis.connectedClients() - baseClients;
				Results.Fleet scaledRun = memory(child, new Results.Fleet(threads, big, 0, rep, Double.NaN, Double.NaN,
						Double.NaN, Double.NaN, bigClients, Double.NaN, Map.of(), -1, -1, -1, true));
				this.results.fleets.add(scaledRun);
				log(String.format(
						"fleet %-8s %3d workers rep %d: heap %.1f MB, RSS %.1f MB; scaled to %d in %.1f ms: heap %.1f MB, RSS %.1f MB; %d Redis connections",
						threads, workers, rep, run.heap() / 1e6, run.rss() / 1e6, big, Double.parseDouble(scaled[2]),
						scaledRun.heap() / 1e6, scaledRun.rss() / 1e6, bigClients));
			}
			else {
				this.results.fleets.add(run);
			}
			log(String.format(
					"fleet %-8s %3d workers%s rep %d: all registered %.1f ms after the pool's start (first %.1f ms; JVM start to pool start %s ms)%s; %d Redis connections",
					threads, workers, (intervalMillis > 0) ? " start-interval " + intervalMillis + "ms" : "", rep,
					run.registeredMillis(), run.firstMillis(), starting[1],
					idle ? String.format(", idle %.2f commands/s", perSecond) : "", clients));
		}
	}

	private Results.Fleet memory(Child child, Results.Fleet run) {
		child.send("memory");
		String[] m = child.await("memory", Duration.ofSeconds(60));
		return new Results.Fleet(run.threads(), run.workers(), run.intervalMillis(), run.rep(), run.registeredMillis(),
				run.firstMillis(), run.contextMillis(), run.poolStartMillis(), run.clients(), run.idlePerSecond(),
				run.idleCommands(), Long.parseLong(m[1]), Long.parseLong(m[3]), Integer.parseInt(m[4]), run.scaled());
	}

	// ---- 6. recovery

	/**
	 * Per recovery-timeout one surviving pool; per repetition a victim pool takes 4 long
	 * jobs (the survivor paused meanwhile) and is killed with SIGKILL.
	 */
	private void recovery() {
		int jobs = 4;
		for (int timeout : this.options.recoveryTimeouts()) {
			this.redis.flushAll();
			List<String> common = List.of("--resque.pool.recovery-timeout=" + timeout + "s");
			// The first victim starts together with the survivor; it gets no job before
			// the survivor is paused.
			Child victim = victim(common, timeout, 1, jobs);
			try (Child survivor = poolChild("recovery-" + timeout + "s-survivor", jobs, false, common,
					List.of("-Dbench.block-millis=0"))) {
				survivor.await("registered", Duration.ofMinutes(2));
				for (int rep = 1; rep <= this.options.reps(); rep++) {
					recoveryRun(survivor, (rep == 1) ? victim : victim(common, timeout, rep, jobs), timeout, rep, jobs);
				}
			}
			finally {
				victim.kill9();
			}
			this.redis.flushAll();
		}
	}

	private Child victim(List<String> common, int timeout, int rep, int jobs) {
		List<String> args = new ArrayList<>(common);
		args.add("--bench.expect-workers=" + (2 * jobs));
		return poolChild("recovery-" + timeout + "s-victim-rep" + rep, jobs, false, args,
				List.of("-Dbench.block-millis=600000"));
	}

	private void recoveryRun(Child survivor, Child victim, int timeout, int rep, int jobs) {
		try {
			survivor.call("pause");
			victim.await("registered", Duration.ofMinutes(2));
			for (int i = 0; i < jobs; i++) {
				this.resqueClient.enqueue(QUEUE, "Bench::Block", "rep" + rep + "-job" + i);
			}
			for (int i = 0; i < jobs; i++) {
				victim.await("picked", Duration.ofSeconds(30));
			}
			survivor.call("resume");
			sleep(500);
			awaitQuiet(victim, survivor);
			long killed = Probe.nowMicros();
			victim.kill9();
			List<Long> picked = new ArrayList<>();
			try {
				for (int i = 0; i < jobs; i++) {
					picked.add(Long.parseLong(survivor.await("picked", Duration.ofSeconds(timeout + 60))[2]));
				}
			}
			catch (IllegalStateException ex) {
				this.results.notes.add("recovery " + timeout + " s rep " + rep + ": "
						+ ex.getMessage().lines().findFirst().orElse(""));
			}
			double first = picked.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
			double last = picked.stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
			Results.Recovery run = new Results.Recovery(timeout, rep,
					picked.isEmpty() ? Double.NaN : (first - killed) / 1e6,
					(picked.size() < jobs) ? Double.NaN : (last - killed) / 1e6, jobs, picked.size());
			this.results.recoveries.add(run);
			log(String.format(
					"recovery recovery-timeout %d s rep %d: %d/%d jobs running again %.2f s after kill -9 (first %.2f s)",
					timeout, rep, picked.size(), jobs, run.lastSeconds(), run.firstSeconds()));
		}
		finally {
			victim.kill9();
		}
	}

	// ---- quiet

	/**
	 * Waits, up to {@code --quiet-wait} (and the remaining {@code --quiet-budget}), until
	 * other processes on the machine use less than a quarter of a core, so that a
	 * neighbour's burst does not land in a measurement. The background CPU of every
	 * measurement is recorded either way.
	 */
	private void awaitQuiet(Child... children) {
		Duration max = this.options.quietWait();
		if (max.isZero() || this.quietSpent >= this.options.quietBudget().toNanos()) {
			return;
		}
		long start = System.nanoTime();
		long deadline = start + Math.min(max.toNanos(), this.options.quietBudget().toNanos() - this.quietSpent);
		double background;
		do {
			long[] live = Child.livePids();
			long[] pids = java.util.Arrays.copyOf(live, live.length + 1);
			pids[live.length] = this.redisPid;
			CpuMeter meter = CpuMeter.start(pids);
			sleep(500);
			background = meter.stop()[2];
		}
		while (background > 0.25 && System.nanoTime() < deadline);
		long waited = System.nanoTime() - start;
		this.quietSpent += waited;
		this.results.quietWaits++;
		this.results.quietSeconds += waited / 1e9;
		if (background > 0.25) {
			this.results.quietTimeouts++;
		}
	}

	// ---- JMH

	private void jmh() throws RunnerException {
		int prefill = this.options.quick() ? 20_000 : 1_500_000;
		record Plan(Class<?> type, int threads) {
		}
		List<Plan> plans = new ArrayList<>(
				List.of(new Plan(PayloadBenchmarks.class, 1), new Plan(RedisRoundTripBenchmarks.class, 1)));
		if (!this.options.quick()) {
			plans.add(new Plan(RedisRoundTripBenchmarks.class, 16));
		}
		for (Plan plan : plans) {
			this.redis.flushAll();
			ChainedOptionsBuilder builder = new OptionsBuilder().include(plan.type().getName() + "\\.")
				.threads(plan.threads())
				.param("redisPort", String.valueOf(this.redis.port()))
				.param("prefill", String.valueOf(prefill))
				.shouldFailOnError(true)
				.output(this.logs.resolve("jmh-" + plan.type().getSimpleName() + "-" + plan.threads() + "t.log")
					.toString());
			if (this.options.quick()) {
				builder.forks(0)
					.warmupIterations(0)
					.measurementIterations(1)
					.measurementTime(TimeValue.milliseconds(100));
			}
			else {
				builder.forks(1)
					.jvmArgs("-Xmx1g", "-XX:+UseG1GC")
					.warmupIterations(3)
					.warmupTime(TimeValue.seconds(1))
					.measurementIterations(5)
					.measurementTime(TimeValue.seconds(1));
			}
			Collection<RunResult> runs = new Runner(builder.build()).run();
			for (RunResult run : runs) {
				String benchmark = run.getParams().getBenchmark();
				benchmark = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
				Results.Jmh row = new Results.Jmh(benchmark, run.getParams().getThreads(),
						run.getPrimaryResult().getScore(), run.getPrimaryResult().getScoreError(),
						run.getPrimaryResult().getScoreUnit());
				this.results.jmh.add(row);
				log(String.format("jmh %-45s %2d threads: %,.1f ± %,.1f %s", row.benchmark(), row.threads(),
						row.score(), row.error(), row.unit()));
			}
		}
		this.redis.flushAll();
	}

	// ---- 7. the scheduler

	/** The queue the scheduler figure's delayed items go to; no group watches it. */
	static final String DUE_QUEUE = "bench-due";

	/**
	 * The scheduler: how late delayed items reach their queue, and what an idle scheduler
	 * costs Redis. One pool child per repetition holds resque-scheduler's lock (the
	 * scheduler is on by default). Lateness is the runner's clock when a {@code BLPOP} of
	 * its own returns the item, minus the start of the item's due second (the bucket
	 * resque-scheduler files it under). Two patterns: items written ahead, due over the
	 * span; and items added while the scheduler waits for a later bucket, each due 1 to 2
	 * s after it was written (the wake-up for an earlier item). Then the idle cost: the
	 * same child with nothing delayed, against a child with
	 * {@code resque.scheduler.enabled=false}.
	 */
	private void scheduler() throws IOException {
		int items = this.options.quick() ? 40 : 200;
		Duration span = this.options.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
		String lockKey = "resque:resque:resque_scheduler_master_lock";
		for (int rep = 1; rep <= this.options.reps(); rep++) {
			this.redis.flushAll();
			awaitQuiet();
			try (Child child = poolChild("scheduler-rep" + rep, 1, false,
					List.of("--logging.level.io.github.resquepool.scheduler=INFO"), List.of())) {
				child.await("registered", Duration.ofMinutes(2));
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (this.redis.command("GET", lockKey) == null) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("the pool's scheduler took no lock in 30 s");
					}
					sleep(50);
				}
				awaitQuiet(child);
				schedulerLateness(rep, Results.WRITTEN_AHEAD, items, span);
				awaitQuiet(child);
				schedulerLateness(rep, Results.ADDED_WHILE_WAITING, items, span);
				sleep(this.options.settle().toMillis());
				awaitQuiet(child);
				this.results.schedulerIdle.add(idleCost(rep, true));
			}
			this.redis.flushAll();
			try (Child child = poolChild("scheduler-off-rep" + rep, 1, false,
					List.of("--resque.scheduler.enabled=false"), List.of())) {
				child.await("registered", Duration.ofMinutes(2));
				sleep(this.options.settle().toMillis());
				awaitQuiet(child);
				this.results.schedulerIdle.add(idleCost(rep, false));
			}
			Results.SchedulerIdle on = this.results.schedulerIdle.get(this.results.schedulerIdle.size() - 2);
			Results.SchedulerIdle off = this.results.schedulerIdle.get(this.results.schedulerIdle.size() - 1);
			log(String.format(
					"scheduler rep %d: idle %.2f commands/s with the scheduler holding the lock, %.2f without it", rep,
					on.perSecond(), off.perSecond()));
		}
		this.redis.flushAll();
	}

	/**
	 * Writes {@code items} delayed items in one pattern and collects their arrival.
	 */
	private void schedulerLateness(int rep, String pattern, int items, Duration span) {
		List<Long> micros = java.util.Collections.synchronizedList(new ArrayList<>());
		java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
		Thread collector = new Thread(() -> {
			try (RedisProbe blocking = new RedisProbe(this.redis.port())) {
				while (!stop.get() || micros.size() < items) {
					Object popped = blocking.command("BLPOP", "resque:queue:" + DUE_QUEUE, "1");
					Instant now = Instant.now();
					if (popped == null) {
						if (stop.get()) {
							return;
						}
						continue;
					}
					String payload = RedisProbe.list(popped).get(1);
					long dueSecond = Long.parseLong(payload.replaceAll(".*\\[(\\d+)].*", "$1"));
					micros.add(java.time.temporal.ChronoUnit.MICROS.between(Instant.ofEpochSecond(dueSecond), now));
				}
			}
		}, "scheduler-collector");
		collector.start();
		Instant far = null;
		long spacing = span.toNanos() / items;
		if (pattern.equals(Results.WRITTEN_AHEAD)) {
			Instant first = Instant.now().plusSeconds(2);
			for (int i = 0; i < items; i++) {
				Instant at = first.plusNanos(i * spacing);
				this.resqueClient.enqueueAt(DUE_QUEUE, at, "Bench::Due", at.getEpochSecond());
			}
		}
		else {
			// A later bucket the scheduler waits for while the items arrive.
			far = Instant.now().plus(span).plusSeconds(60);
			this.resqueClient.enqueueAt(DUE_QUEUE, far, "Bench::Far", 0);
			sleep(500);
			long next = System.nanoTime();
			java.util.Random random = new java.util.Random(rep);
			for (int i = 0; i < items; i++) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				Instant at = Instant.now().plusMillis(1000 + random.nextInt(1000));
				this.resqueClient.enqueueAt(DUE_QUEUE, at, "Bench::Due", at.getEpochSecond());
				next += spacing;
			}
		}
		long deadline = System.nanoTime() + span.plusSeconds(10).toNanos();
		while (micros.size() < items && System.nanoTime() < deadline) {
			sleep(100);
		}
		stop.set(true);
		try {
			collector.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (far != null) {
			this.resqueClient.removeDelayed(DUE_QUEUE, "Bench::Far", 0);
		}
		List<Long> sorted = new ArrayList<>(micros);
		sorted.sort(Comparator.naturalOrder());
		this.results.schedulerRuns.add(new Results.SchedulerRun(rep, pattern, sorted, items));
		log(String.format(
				"scheduler rep %d, %s: %d of %d items arrived; lateness p50 %.1f ms, p99 %.1f ms, max %.1f ms", rep,
				pattern, sorted.size(), items, Stats.percentile(sorted, 50) / 1000, Stats.percentile(sorted, 99) / 1000,
				sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1) / 1000.0));
	}

	/**
	 * The commands a settled, idle pool child sends over the idle window (MONITOR).
	 */
	private Results.SchedulerIdle idleCost(int rep, boolean enabled) {
		MonitorWindow window = monitorWindow();
		return new Results.SchedulerIdle(rep, enabled, window.sentPerSecond(), window.commands());
	}

	/**
	 * Watches Redis with MONITOR for one idle window.
	 */
	private MonitorWindow monitorWindow() {
		Monitor monitor = new Monitor(this.redis.port());
		long t0 = System.nanoTime();
		sleep(this.options.idleWindow().toMillis());
		Map<String, long[]> commands = monitor.stop();
		return new MonitorWindow(commands, (System.nanoTime() - t0) / 1e9);
	}

	/**
	 * What one MONITOR window saw.
	 *
	 * @param commands command name to {sent by clients, run inside scripts}
	 * @param seconds the window's length
	 */
	private record MonitorWindow(Map<String, long[]> commands, double seconds) {

		double sentPerSecond() {
			return this.commands.values().stream().mapToLong((c) -> c[0]).sum() / this.seconds;
		}

	}

	// ---- children

	private Child poolChild(String name, int workers, boolean paused, List<String> extra, List<String> jvm) {
		return poolChild(name, workers, paused, extra, jvm, QUEUE, null);
	}

	/**
	 * @param queues the group's queue list
	 * @param classPath the class path, or null for the runner's
	 */
	private Child poolChild(String name, int workers, boolean paused, List<String> extra, List<String> jvm,
			String queues, String classPath) {
		List<String> args = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port(), "--spring.data.redis.client-type=lettuce",
				"--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--resque.pool.groups.bench.queues=" + queues, "--resque.pool.groups.bench.count=" + workers,
				"--resque.pool.max-workers=" + Math.max(1000, workers), "--resque.pool.paused=" + paused,
				"--resque.pool.shutdown-timeout=5s"));
		if (extra.stream().noneMatch((a) -> a.startsWith("--bench.expect-workers="))) {
			args.add("--bench.expect-workers=" + workers);
		}
		args.addAll(extra);
		List<String> jvmArgs = new ArrayList<>(this.childJvm);
		jvmArgs.addAll(jvm);
		return Child.start(name, this.logs, jvmArgs, PoolChild.class, args, classPath);
	}

	private Child jesqueChild(String name, int workers) {
		return jesqueChild(name, workers, null);
	}

	private Child jesqueChild(String name, int workers, String classPath) {
		return Child.start(name, this.logs, this.childJvm, JesqueChild.class,
				List.of(String.valueOf(this.redis.port()), String.valueOf(workers), QUEUE), classPath);
	}

	/**
	 * {@code sidekiq -r sidekiq_bench.rb -c <concurrency> -q bench} on database
	 * {@value #SIDEKIQ_DB} of the benchmark's Redis.
	 */
	private Child sidekiqChild(String name, int concurrency) {
		return Child.startProcess(
				name, this.logs, List.of(this.sidekiq.toString(), "-r", this.sidekiqScript.toString(), "-c",
						String.valueOf(concurrency), "-q", QUEUE),
				Map.of("REDIS_URL", "redis://127.0.0.1:" + this.redis.port() + "/" + SIDEKIQ_DB));
	}

	/**
	 * Finds {@code ruby} and {@code sidekiq} on the PATH (Debian:
	 * {@code apt-get install ruby-sidekiq}), extracts the worker script and asks Sidekiq
	 * for its version; says so when there is none.
	 */
	private void findSidekiq() throws IOException {
		Optional<Path> ruby = onPath("ruby");
		Optional<Path> command = onPath("sidekiq");
		if (ruby.isEmpty() || command.isEmpty()) {
			this.results.sidekiqSkipped = "Sidekiq was not measured: " + (ruby.isEmpty() ? "`ruby`" : "`sidekiq`")
					+ " is not on the PATH. To get the reference, install Ruby and Sidekiq (Debian/Ubuntu: "
					+ "`apt-get install ruby-sidekiq`) and run the benchmarks again.";
			this.results.machine.put("Sidekiq",
					"not installed (install Debian's `ruby-sidekiq` for the Sidekiq reference)");
			log(this.results.sidekiqSkipped);
			return;
		}
		Path script = this.options.workDir().resolve("sidekiq_bench.rb");
		try (InputStream in = BenchmarkRunner.class.getResourceAsStream("/ruby/sidekiq_bench.rb")) {
			if (in == null) {
				throw new IOException("ruby/sidekiq_bench.rb is not on the class path");
			}
			Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		String version;
		try {
			Process p = new ProcessBuilder(ruby.get().toString(), "-e",
					"require 'sidekiq'; print Sidekiq::VERSION + ' on Ruby ' + RUBY_VERSION")
				.redirectErrorStream(true)
				.start();
			version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (p.waitFor() != 0) {
				throw new IOException(version);
			}
		}
		catch (IOException | InterruptedException ex) {
			this.results.sidekiqSkipped = "Sidekiq was not measured: `require 'sidekiq'` failed (" + ex.getMessage()
					+ "). Install Debian's `ruby-sidekiq` (or the sidekiq gem) and run the benchmarks again.";
			this.results.machine.put("Sidekiq", "not usable (" + ex.getMessage() + ")");
			log(this.results.sidekiqSkipped);
			return;
		}
		this.sidekiq = command.get();
		this.sidekiqScript = script;
		this.results.sidekiqVersion = version.replaceFirst(" on Ruby.*", "");
		this.results.machine.put("Sidekiq", "Sidekiq " + version + " (`" + command.get() + "`), -c 16, database "
				+ SIDEKIQ_DB + " of the same Redis, worker script `benchmarks/ruby/sidekiq_bench.rb`");
		log("Sidekiq " + version + " found: the Sidekiq reference is measured");
	}

	private static Optional<Path> onPath(String name) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
			if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
				return Optional.of(candidate.toAbsolutePath());
			}
		}
		return Optional.empty();
	}

	// ---- helpers

	static void log(String message) {
		System.out.println("[bench " + LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
				+ "] " + message);
		System.out.flush();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
