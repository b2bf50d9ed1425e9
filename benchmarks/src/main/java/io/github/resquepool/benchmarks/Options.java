package io.github.resquepool.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run, from the command line of {@link BenchmarkRunner}.
 *
 * @param quick the smoke mode: tiny numbers, one repetition
 * @param reps repetitions of every whole-system measurement
 * @param jobs no-op jobs per throughput run
 * @param sleepJobsPerWorker 1 ms jobs per worker in a throughput run (at most
 * {@code jobs})
 * @param counts worker counts of the throughput figure
 * @param pickupWorkers workers of the idle pool of the pickup figure
 * @param pickupSamples jobs per pickup measurement
 * @param startSizes worker counts of the start figure
 * @param idleSizes worker counts of the idle-cost figure
 * @param memorySizes worker counts of the memory figure
 * @param startInterval the {@code start-interval} of the start figure's second series
 * @param settle the wait after the workers registered, before idle and memory
 * measurements
 * @param idleWindow the length of an idle-cost measurement
 * @param recoveryTimeouts the {@code recovery-timeout}s of the recovery figure, seconds
 * @param figures the figures to run
 * @param jmh whether to run the JMH micro-benchmarks
 * @param profile whether to run the JFR-profiled run at 16 workers
 * @param quietWait the longest wait, before a measurement, for other processes to leave
 * the CPU
 * @param quietBudget the longest such waiting in all
 * @param repoRoot where {@code BENCHMARKS.md} and {@code docs/benchmarks/*.png} go
 * @param workDir where logs, recordings and charts go
 * @param reportOnly a {@code results.json} to write the report from, without measuring;
 * or null
 * @param appArgs extra arguments of the app figure's resque-pool children (Spring
 * properties such as
 * {@code --management.metrics.observations.ignored-meters=long-task-timer})
 */
record Options(boolean quick, int reps, int jobs, int sleepJobsPerWorker, List<Integer> counts, int pickupWorkers,
		int pickupSamples, List<Integer> startSizes, List<Integer> idleSizes, List<Integer> memorySizes,
		Duration startInterval, Duration settle, Duration idleWindow, List<Integer> recoveryTimeouts,
		Set<String> figures, boolean jmh, boolean profile, Duration quietWait, Duration quietBudget, Path repoRoot,
		Path workDir, Path reportOnly, List<String> appArgs) {

	/**
	 * @param repoRoot the new repository root
	 * @param workDir the new work directory
	 * @return these options, writing elsewhere
	 */
	Options writingTo(Path repoRoot, Path workDir) {
		return new Options(this.quick, this.reps, this.jobs, this.sleepJobsPerWorker, this.counts, this.pickupWorkers,
				this.pickupSamples, this.startSizes, this.idleSizes, this.memorySizes, this.startInterval, this.settle,
				this.idleWindow, this.recoveryTimeouts, this.figures, this.jmh, this.profile, this.quietWait,
				this.quietBudget, repoRoot, workDir, null, this.appArgs);
	}

	static final List<String> ALL_FIGURES = List.of("throughput", "app", "pickup", "start", "memory", "idle",
			"recovery", "scheduler");

	static final String USAGE = """
			Usage: BenchmarkRunner [--quick] [--reps N] [--jobs N] [--counts 1,4,16,64] [--only throughput,pickup,...]
			                       [--no-jmh] [--no-profile] [--repo-root DIR] [--work-dir DIR]
			  --quick        smoke run: 2,000 jobs, 1 repetition, 1 and 4 workers, small fleets, short waits
			  --reps N       repetitions of each whole-system measurement (default 3)
			  --jobs N       no-op jobs per throughput run (default 100000)
			  --counts LIST  worker counts of the throughput figure (default 1,4,16,64)
			  --pickup-samples N, --sizes-start LIST, --sizes-idle LIST, --sizes-memory LIST,
			  --recovery-timeouts LIST (seconds), --idle-window SECONDS, --start-interval MS (0: no such series)
			  --only LIST    figures to run: throughput, app, pickup, start, memory, idle, recovery, scheduler
			                 (app includes app-aot on JDK 25+; app and pickup include Sidekiq when
			                 ruby and sidekiq are on the PATH: apt-get install ruby-sidekiq)
			  --no-jmh       skip the JMH micro-benchmarks; --no-profile skips the JFR run at 16 workers
			  --quiet-wait S before each measurement wait up to S seconds (default 20, quick 0) until other
			                 processes use < 0.25 cores; at most --quiet-budget S seconds in all (default 360)
			  --repo-root    where BENCHMARKS.md and docs/benchmarks/*.png are written (default .)
			  --work-dir     logs, JFR recordings, charts, results.json (default benchmarks/target/benchmarks)
			  --report-only FILE   write BENCHMARKS.md and the charts again from a results.json, measuring nothing
			  --app-arg ARG  an extra argument of the app figure's resque-pool children (repeatable), e.g.
			                 --app-arg --management.metrics.observations.ignored-meters=long-task-timer
			""";

	static Options parse(String... args) {
		List<String> list = new ArrayList<>(Arrays.asList(args));
		boolean quick = list.remove("--quick") | list.remove("quick");
		int reps = quick ? 1 : 3;
		int jobs = quick ? 2000 : 100_000;
		int sleepPerWorker = quick ? 50 : 2500;
		List<Integer> counts = quick ? List.of(1, 4) : List.of(1, 4, 16, 64);
		int pickupSamples = quick ? 20 : 200;
		List<Integer> startSizes = quick ? List.of(10) : List.of(10, 100, 500);
		List<Integer> idleSizes = quick ? List.of(1, 10) : List.of(1, 100, 500);
		List<Integer> memorySizes = quick ? List.of(1, 10) : List.of(10, 500);
		Duration settle = quick ? Duration.ofMillis(300) : Duration.ofSeconds(2);
		Duration idleWindow = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
		List<Integer> recovery = quick ? List.of(3) : List.of(10, 30);
		Set<String> figures = new LinkedHashSet<>(ALL_FIGURES);
		Duration startInterval = Duration.ofMillis(10);
		boolean jmh = true;
		boolean profile = true;
		Duration quietWait = quick ? Duration.ZERO : Duration.ofSeconds(20);
		Duration quietBudget = Duration.ofSeconds(360);
		Path repoRoot = Path.of(".");
		Path workDir = null;
		Path reportOnly = null;
		List<String> appArgs = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			String arg = list.get(i);
			String value = (i + 1 < list.size()) ? list.get(i + 1) : null;
			switch (arg) {
				case "--reps" -> reps = Integer.parseInt(value);
				case "--jobs" -> jobs = Integer.parseInt(value);
				case "--counts" -> counts = ints(value);
				case "--pickup-samples" -> pickupSamples = Integer.parseInt(value);
				case "--sizes-start" -> startSizes = ints(value);
				case "--sizes-idle" -> idleSizes = ints(value);
				case "--sizes-memory" -> memorySizes = ints(value);
				case "--recovery-timeouts" -> recovery = ints(value);
				case "--start-interval" -> startInterval = Duration.ofMillis(Long.parseLong(value));
				case "--idle-window" -> idleWindow = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "--quiet-wait" -> quietWait = Duration.ofSeconds(Long.parseLong(value));
				case "--quiet-budget" -> quietBudget = Duration.ofSeconds(Long.parseLong(value));
				case "--only" -> figures = new LinkedHashSet<>(Arrays.asList(value.split(",")));
				case "--repo-root" -> repoRoot = Path.of(value);
				case "--work-dir" -> workDir = Path.of(value);
				case "--report-only" -> reportOnly = Path.of(value);
				case "--app-arg" -> appArgs.add(value);
				case "--no-jmh" -> {
					jmh = false;
					continue;
				}
				case "--no-profile" -> {
					profile = false;
					continue;
				}
				case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
				default -> throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
			}
			if (value == null) {
				throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
			}
			i++;
		}
		if (!ALL_FIGURES.containsAll(figures)) {
			throw new IllegalArgumentException("--only takes " + ALL_FIGURES + ", got " + figures);
		}
		if (workDir == null) {
			workDir = repoRoot.resolve("benchmarks/target/benchmarks");
		}
		return new Options(quick, reps, jobs, sleepPerWorker, counts, 4, pickupSamples, startSizes, idleSizes,
				memorySizes, startInterval, settle, idleWindow, recovery, figures, jmh, profile, quietWait, quietBudget,
				repoRoot.toAbsolutePath().normalize(), workDir.toAbsolutePath().normalize(), reportOnly,
				List.copyOf(appArgs));
	}

	private static List<Integer> ints(String value) {
		return Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
	}

	/**
	 * @param workers a worker count
	 * @return the 1 ms jobs of a throughput run with that many workers
	 */
	int sleepJobs(int workers) {
		return Math.min(this.jobs, this.sleepJobsPerWorker * workers);
	}

	boolean runs(String figure) {
		return this.figures.contains(figure);
	}

	/**
	 * @return the worker count of the profiled run: 16, or the nearest measured count
	 */
	int profileCount() {
		return this.counts.stream().min((a, b) -> Integer.compare(Math.abs(a - 16), Math.abs(b - 16))).orElse(16);
	}

	/**
	 * @return every worker count a platform-thread fleet child starts with (the smallest
	 * memory size; the largest is reached by scaling that child)
	 */
	TreeSet<Integer> platformSizes() {
		TreeSet<Integer> sizes = new TreeSet<>();
		if (runs("start")) {
			sizes.addAll(this.startSizes);
		}
		if (runs("idle")) {
			sizes.addAll(this.idleSizes);
		}
		if (runs("memory")) {
			sizes.add(memoryMin());
		}
		return sizes;
	}

	int memoryMin() {
		return this.memorySizes.stream().min(Integer::compare).orElse(10);
	}

	int memoryMax() {
		return this.memorySizes.stream().max(Integer::compare).orElse(500);
	}

	/**
	 * @return the unrecorded pickups before each pickup measurement: 200, 5 in the smoke
	 * run
	 */
	int warmPickups() {
		return this.quick ? 5 : 200;
	}

	/**
	 * @return the worker count of the pools whose pickup latency is measured: the
	 * throughput count nearest to 4 (pickup runs on those pools once their batches are
	 * drained)
	 */
	int pickupCount() {
		if (!runs("throughput")) {
			return this.pickupWorkers;
		}
		return this.counts.stream()
			.min((a, b) -> (Math.abs(a - this.pickupWorkers) != Math.abs(b - this.pickupWorkers))
					? Integer.compare(Math.abs(a - this.pickupWorkers), Math.abs(b - this.pickupWorkers))
					: Integer.compare(a, b))
			.orElse(this.pickupWorkers);
	}

}
