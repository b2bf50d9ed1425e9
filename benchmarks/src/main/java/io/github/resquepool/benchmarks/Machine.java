package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resquepool.embedded.EmbeddedRedisServer;

/**
 * A description of the machine the figures come from.
 */
final class Machine {

	private Machine() {
	}

	static Map<String, String> describe(RedisProbe redis, RedisBenchmarkTool tool,
			java.util.List<String> childJvmArgs) {
		Map<String, String> d = new LinkedHashMap<>();
		d.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM"
				+ " (shared by Redis, the JVM under test and the runner)");
		d.put("Memory", memTotal());
		d.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
				+ System.getProperty("os.arch") + ")");
		d.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version"));
		Map<String, String> server = redis.info("server");
		d.put("Redis",
				"redis-server " + server.get("redis_version") + " (" + server.get("arch_bits") + "-bit, "
						+ server.get("multiplexing_api") + "), the embedded binary of resque-pool-embedded-redis ("
						+ EmbeddedRedisServer.REDIS_VERSION + "), loopback TCP, no persistence");
		d.put("redis-benchmark", tool.isPresent() ? tool.describe()
				: "not installed (the Redis ceiling is not measured;" + " install the redis-tools package to get it)");
		d.put("Child JVM options", String.join(" ", childJvmArgs) + ", the same for resque-pool and Jesque");
		d.put("Load average at start", String.valueOf(CpuMeter.loadAverage()));
		return d;
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).strip();
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	private static String memTotal() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kb = Long.parseLong(line.substring(9).replace("kB", "").strip());
					return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return "unknown";
	}

}
