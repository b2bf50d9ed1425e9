package io.github.resquepool.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A job that a Java pool stopped at a checkpoint goes back to its queue exactly as it was
 * enqueued, and a real Ruby Resque 3.0 worker ({@code interop/ruby/run_java_payload.rb})
 * that takes it runs it from the start, with its arguments, knowing nothing of the saved
 * cursor. Skipped, and said, where Ruby or Resque's {@code lib/} is missing.
 */
@ExtendWith(RedisExtension.class)
class CheckpointRubyInteropTests {

	private static final Path RESQUE_LIB = Path.of(System.getenv().getOrDefault("RESQUE_LIB", "/tmp/gems/resque/lib"));

	private static final String PAYLOAD = "{\"class\":\"Imports::Rows\",\"args\":[\"a.csv\",100000]}";

	@Test
	void aRubyWorkerRunsAJobStoppedAtACheckpointFromTheStart(TestRedis redis) throws Exception {
		boolean ruby = Files.isDirectory(RESQUE_LIB);
		if (!ruby) {
			System.out.println("[interop] SKIPPED aRubyWorkerRunsAJobStoppedAtACheckpointFromTheStart: it needs "
					+ "Debian's ruby and ruby-redis packages and Resque's lib/ at " + RESQUE_LIB
					+ " (see interop/README.md)");
		}
		assumeThat(ruby).as("Ruby and Resque's lib/ at " + RESQUE_LIB + " (see interop/README.md)").isTrue();
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			raw.sync().sadd("resque:queues", "imports");
			raw.sync().rpush("resque:queue:imports", PAYLOAD);
			ContractSupport.runner()
				.withPropertyValues("resque.pool.groups.imports.queues=imports", "resque.pool.groups.imports.count=1")
				.withBean(Rows.class)
				.run((context) -> {
					Rows rows = context.getBean(Rows.class);
					eventually(Duration.ofSeconds(10), () -> assertThat(rows.done).hasSizeGreaterThan(5));
				});
			// Stopped at a checkpoint: back at the head of its queue, byte for byte, with
			// a
			// saved cursor.
			assertThat(lrange(raw, "resque:queue:imports")).containsExactly(PAYLOAD);
			assertThat(raw.sync().keys("resque:resquepool:checkpoint:Imports::Rows:*")).hasSize(1);

			String output = run(redis);
			List<JsonNode> performed = lrange(raw, "interop:performed").stream().map(ContractSupport::json).toList();
			assertThat(performed).as(output).singleElement().satisfies((job) -> {
				assertThat(job.get("class").asString()).isEqualTo("Imports::Rows");
				assertThat(job.get("args").toString()).isEqualTo("[\"a.csv\",100000]");
			});
			assertThat(raw.sync().llen("resque:queue:imports")).isZero();
			assertThat(raw.sync().llen("resque:failed")).as(output).isZero();
		}
	}

	private static String run(TestRedis redis) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("ruby", "../interop/ruby/run_java_payload.rb", "imports")
			.redirectErrorStream(true);
		builder.environment().put("REDIS_URL", "redis://" + redis.host() + ":" + redis.port() + "/0");
		builder.environment().put("RESQUE_LIB", RESQUE_LIB.toString());
		builder.environment().put("SKIP_PRUNE", "1");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	/** A job that checkpoints after every row. */
	static class Rows {

		final List<Long> done = new CopyOnWriteArrayList<>();

		@ResqueJob("Imports::Rows")
		void importRows(String file, long count, JobContext context) throws InterruptedException {
			long next = context.cursor(Long.class).orElse(0L);
			while (next < count) {
				Thread.sleep(5);
				this.done.add(next++);
				context.checkpoint(next);
			}
		}

	}

}
