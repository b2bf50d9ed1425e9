package io.github.resquepool.benchmarks.child;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the benchmark jobs report, the same for resque-pool and Jesque: the first job
 * start and the last job end of a batch, pickup latencies, picked-up blocking jobs, CPU
 * by thread group, memory.
 */
public final class Probe {

	private static final AtomicLong done = new AtomicLong();

	private static final AtomicLong firstStart = new AtomicLong();

	private static final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

	private static volatile long expected = Long.MAX_VALUE;

	private static volatile long[] cpuBefore = new long[4];

	private static volatile Predicate<String> workerThreads = (name) -> false;

	private Probe() {
	}

	/**
	 * Tells the probe which threads are worker threads, for the CPU breakdown.
	 * @param test matches a worker thread's name
	 */
	public static void workerThreads(Predicate<String> test) {
		workerThreads = test;
	}

	/**
	 * Starts a batch: the probe reports {@code done} once that many jobs finished.
	 * @param count the number of jobs of the batch
	 */
	public static void expect(long count) {
		done.set(0);
		firstStart.set(0);
		cpuBefore = cpu();
		expected = count;
	}

	/** A benchmark job starts. */
	public static void started() {
		if (firstStart.get() == 0) {
			firstStart.compareAndSet(0, System.nanoTime());
		}
	}

	/** A benchmark job ends; the last of a batch emits {@code done}. */
	public static void finished() {
		long n = done.incrementAndGet();
		if (n == expected) {
			long end = System.nanoTime();
			long[] after = cpu();
			long[] before = cpuBefore;
			Control.emit("done", n, end - firstStart.get(), after[0] - before[0], after[1] - before[1],
					after[2] - before[2], after[3] - before[3]);
		}
	}

	/**
	 * Records the pickup latency of a job enqueued at the given time.
	 * @param enqueuedMicros the enqueue time, epoch microseconds
	 */
	public static void pickedUp(long enqueuedMicros) {
		latencies.add(nowMicros() - enqueuedMicros);
	}

	/** Emits the recorded latencies (microseconds) and forgets them. */
	public static void emitLatencies() {
		List<Long> values = new ArrayList<>();
		Long value;
		while ((value = latencies.poll()) != null) {
			values.add(value);
		}
		Control.emit("latencies", values.size(), String.join(",", values.stream().map(String::valueOf).toList()));
	}

	/**
	 * A blocking job started: emits {@code picked <tag> <epoch micros>}.
	 * @param tag the job's tag
	 */
	public static void picked(String tag) {
		Control.emit("picked", tag, nowMicros());
	}

	/**
	 * @return the wall clock in epoch microseconds (microsecond resolution on Linux)
	 */
	public static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
	}

	/**
	 * Emits {@code memory <heap used> <non-heap used> <rss> <platform threads>} after two
	 * full GCs.
	 */
	public static void emitMemory() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
			sleep(150);
		}
		Control.emit("memory", memory.getHeapMemoryUsage().getUsed(), memory.getNonHeapMemoryUsage().getUsed(),
				rssBytes(), ManagementFactory.getThreadMXBean().getThreadCount());
	}

	/**
	 * @return the VmRSS of this process in bytes, or -1
	 */
	public static long rssBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

	/**
	 * CPU time in nanoseconds: the whole process, worker threads, Lettuce/Netty threads,
	 * other Java threads. GC, JIT and VM threads are the process total minus the three
	 * others.
	 */
	private static long[] cpu() {
		long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long workers = 0;
		long lettuce = 0;
		long other = 0;
		for (long id : threads.getAllThreadIds()) {
			ThreadInfo info = threads.getThreadInfo(id);
			long time = threads.getThreadCpuTime(id);
			if (info == null || time < 0) {
				continue;
			}
			String name = info.getThreadName();
			if (workerThreads.test(name)) {
				workers += time;
			}
			else if (name.startsWith("lettuce-")) {
				lettuce += time;
			}
			else {
				other += time;
			}
		}
		return new long[] { process, workers, lettuce, other };
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
