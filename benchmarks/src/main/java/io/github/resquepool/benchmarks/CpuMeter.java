package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures, over an interval, how much CPU the whole machine used and how much of it came
 * from processes other than the benchmark's own (the runner, its children, its Redis):
 * the machine is shared, and a busy neighbour on 2 cores changes every figure. Values in
 * cores (1.0 = one core busy for the whole interval). Linux only; NaN elsewhere.
 */
final class CpuMeter {

	private final List<Long> pids;

	private final long[] machineStart;

	private final double ownStart;

	private final long nanoStart;

	private CpuMeter(List<Long> pids) {
		this.pids = pids;
		this.machineStart = machine();
		this.ownStart = own(pids);
		this.nanoStart = System.nanoTime();
	}

	/**
	 * Starts measuring.
	 * @param pids the benchmark's own processes (this JVM is added)
	 * @return the meter
	 */
	static CpuMeter start(long... pids) {
		List<Long> all = new java.util.ArrayList<>();
		all.add(ProcessHandle.current().pid());
		for (long pid : pids) {
			all.add(pid);
		}
		return new CpuMeter(all);
	}

	/**
	 * @return {machine busy cores, own cores, other processes' cores} since the start
	 */
	double[] stop() {
		long[] machineEnd = machine();
		double seconds = (System.nanoTime() - this.nanoStart) / 1e9;
		double busy = (machineEnd[0] - this.machineStart[0]) / 100.0 / seconds;
		double own = (own(this.pids) - this.ownStart) / seconds;
		return new double[] { busy, own, Math.max(0, busy - own) };
	}

	/**
	 * @return {busy jiffies, total jiffies} of all CPUs
	 */
	private static long[] machine() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < f.length && i <= 8; i++) {
				total += Long.parseLong(f[i]);
			}
			long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
			return new long[] { total - idle, total };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { -1, -1 };
		}
	}

	private static double own(List<Long> pids) {
		double sum = 0;
		for (long pid : pids) {
			double s = RedisProbe.processCpuSeconds(pid);
			if (!Double.isNaN(s)) {
				sum += s;
			}
		}
		return sum;
	}

	/**
	 * @return the 1-minute load average, or NaN
	 */
	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

}
