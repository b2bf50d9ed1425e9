package io.github.resquepool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole benchmark harness in quick mode with tiny numbers against its own
 * embedded Redis, and checks that a report with every figure's table and the charts comes
 * out.
 */
class BenchmarkSmokeTests {

	@Test
	@Timeout(300)
	void quickRunWritesEveryFigure(@TempDir Path dir) throws Exception {
		long start = System.nanoTime();
		Path report = BenchmarkRunner.run("--quick", "--jobs", "300", "--counts", "2", "--pickup-samples", "5",
				"--sizes-start", "3", "--sizes-idle", "3", "--sizes-memory", "3,4", "--idle-window", "1",
				"--start-interval", "0", "--recovery-timeouts", "3", "--repo-root", dir.toString(), "--work-dir",
				dir.resolve("work").toString());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		System.out.println("Smoke run took " + took.toMillis() + " ms");

		assertThat(report).isEqualTo(dir.resolve("BENCHMARKS.md"));
		String text = Files.readString(report);
		assertThat(text).contains("## Goals", "## Machine", "## 1. Throughput", "### No-op jobs",
				"### 1 ms sleeping jobs", "## 2. Pickup latency", "## 3. Start", "## 4. Memory",
				"## 5. Idle Redis cost", "## 6. Recovery after kill -9", "## Micro-benchmarks (JMH)");
		assertThat(text).doesNotContain("Not run.");
		assertThat(text).containsPattern("\\| 2 \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+× \\|");
		assertThat(text).contains("| resque-pool | ResqueClient.enqueue |", "| resque-pool | RPUSH by another client |",
				"| resque-pool | RPUSH by another client, queues `*`, keyspace events on |",
				"| Jesque 2.2.0 | RPUSH by another client |");
		assertThat(text)
			.containsPattern("\\| Pickup p99, plain RPUSH by another client, queues `\\*` \\(keyspace events on\\), "
					+ "poll-interval 1 s \\| ≤ 20 ms \\| [0-9.]+ ms \\| (met|\\*\\*missed\\*\\*) \\|");
		// Sidekiq only where Debian's ruby-sidekiq is installed; the AOT cache only on
		// JDK 25+.
		if (text.contains("Sidekiq was not measured")) {
			assertThat(text).doesNotContainPattern("\\| Sidekiq [0-9]");
		}
		else {
			assertThat(text).containsPattern("\\| Sidekiq [0-9.]+ \\| [0-9,]+ \\| [0-9,]+ \\| [0-9,]+ \\|");
			assertThat(text)
				.containsPattern("\\| Sidekiq [0-9.]+ \\| LPUSH of a Sidekiq job by another client \\| [0-9.]+ \\|");
		}
		if (Runtime.version().feature() >= 25) {
			assertThat(text).containsPattern("\\| app-aot \\| [0-9,]+ \\| [0-9,]+ \\| [0-9,]+ \\|");
		}
		else {
			assertThat(text).contains("needs JDK 25 or newer, so `app-aot` was not measured");
		}
		assertThat(text)
			.containsPattern("\\| 3 \\| platform \\| 0 ms \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.,]+ \\|");
		assertThat(text).containsPattern("\\| virtual \\| [-0-9.,]+ \\| [-0-9.,]+ \\|");
		assertThat(text).containsPattern("\\| 3 s \\| [0-9.]+ \\| [0-9.]+ \\| ≤ 8 s \\|");
		assertThat(text).contains("`PayloadBenchmarks.parseNoop`", "`RedisRoundTripBenchmarks.cycle`");
		assertThat(dir.resolve("docs/benchmarks/throughput-noop.png")).isNotEmptyFile();
		assertThat(dir.resolve("docs/benchmarks/throughput-sleep1ms.png")).isNotEmptyFile();
		assertThat(Files.readAllBytes(dir.resolve("docs/benchmarks/throughput-noop.png"))).startsWith(0x89, 'P', 'N',
				'G');
		assertThat(ProcessHandle.current().children()).as("child JVMs left running").isEmpty();
	}

}
