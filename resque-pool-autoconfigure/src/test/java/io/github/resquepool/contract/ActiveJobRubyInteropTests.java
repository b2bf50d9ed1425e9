package io.github.resquepool.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.ActiveJobArguments;
import io.github.resquepool.job.GlobalId;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The reverse check: a real Ruby Resque 3.0 worker with Rails 6.1's ActiveJob
 * ({@code interop/ruby/run_activejob_payload.rb}) runs the Rails jobs that
 * {@link ResqueClient#enqueueActiveJob} enqueued. Skipped where Ruby, Debian's
 * {@code ruby-activejob} or resque's {@code lib/} (env {@code RESQUE_LIB}, default
 * {@code /tmp/gems/resque/lib}) is missing.
 */
@ExtendWith(RedisExtension.class)
class ActiveJobRubyInteropTests {

	private static final Path RESQUE_LIB = Path.of(System.getenv().getOrDefault("RESQUE_LIB", "/tmp/gems/resque/lib"));

	@Test
	void aRubyWorkerRunsRailsJobsEnqueuedFromJava(TestRedis redis) throws Exception {
		boolean ruby = Files.isDirectory(RESQUE_LIB)
				&& Files.isDirectory(Path.of("/usr/share/rubygems-integration/all/gems"));
		if (!ruby) {
			// Said plainly, not skipped silently: this interop check needs real Ruby and
			// Resque's lib/.
			System.out.println("[interop] SKIPPED aRubyWorkerRunsRailsJobsEnqueuedFromJava: it needs Debian's ruby and "
					+ "ruby-activejob packages and Resque's lib/ at " + RESQUE_LIB
					+ " (set RESQUE_LIB; see interop/README.md)");
		}
		assumeThat(ruby).as("Ruby with ActiveJob and Resque's lib/ at " + RESQUE_LIB + " (see interop/README.md)")
			.isTrue();
		ContractSupport.runner().withPropertyValues("resque.pool.enabled=false").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			Map<String, Object> nested = new LinkedHashMap<>();
			nested.put("a", 1);
			nested.put("b", Map.of("c", 2));
			List<String> ids = new ArrayList<>();
			ids.add(client.enqueueActiveJob("invoices", "SendInvoiceJob", 42, "EUR",
					ActiveJobArguments.stringKeys(Map.of("a", 1))));
			ids.add(client.enqueueActiveJob("invoices", "SendInvoiceJob", nested, GlobalId.of("interop", "Customer", 7),
					Instant.parse("2026-01-02T03:04:05.5Z"), LocalDate.of(2026, 1, 2), Duration.ofMinutes(5),
					ActiveJobArguments.symbol("sym"), List.of(1.5, "x", true)));
			Map<String, Object> keywords = new LinkedHashMap<>();
			keywords.put("currency", "EUR");
			keywords.put("note", null);
			ids.add(client.enqueueActiveJob("invoices", "KeywordsJob", 42, ActiveJobArguments.keywords(keywords)));

			String output = run(redis);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				List<JsonNode> performed = lrange(raw, "interop:performed").stream()
					.map(ContractSupport::json)
					.toList();
				assertThat(performed).as(output).hasSize(3);
				assertThat(performed.get(0).get("job_id").asString()).isEqualTo(ids.get(0));
				assertThat(performed.get(0).get("executions").asInt()).isEqualTo(1);
				assertThat(performed.get(0).get("received").asString()).isEqualTo("[42, \"EUR\", {\"a\"=>1}]");
				assertThat(performed.get(1).get("received").asString()).isEqualTo(
						"[{:a=>1, :b=>{:c=>2}}, #<Customer id=7>, 2026-01-02 03:04:05.5 UTC, Fri, 02 Jan 2026, 300 seconds, :sym, [1.5, \"x\", true]]");
				assertThat(performed.get(2).get("job").asString()).isEqualTo("KeywordsJob");
				assertThat(performed.get(2).get("received").asString())
					.isEqualTo("{:id=>42, :currency=>\"EUR\", :note=>nil}");
				assertThat(ContractSupport.llen(raw, ContractSupport.FAILED)).as(output).isZero();
			}
		});
	}

	private static String run(TestRedis redis) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("ruby", "../interop/ruby/run_activejob_payload.rb", "invoices",
				"--all")
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

}
