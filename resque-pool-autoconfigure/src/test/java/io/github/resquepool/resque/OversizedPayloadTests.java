package io.github.resquepool.resque;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResqueLettuceClient;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A payload over the size limit, pushed by anyone who can write to Redis: the fetch takes
 * it off its queue without decoding it, records a failure entry holding only its first
 * bytes, and goes on with the next job; it never runs and is never copied whole.
 */
@ExtendWith(RedisExtension.class)
class OversizedPayloadTests {

	private static final String POOL_ID = "big-host:31:size01";

	private static final String WORKER = "big-host:31-1:big";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void aPayloadOverTheDefaultLimitBecomesAShortFailureEntryAndTheNextJobRuns(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String big = "{\"class\":\"Big\",\"args\":[\"" + "x".repeat(11 * 1024 * 1024) + "\"]}";
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().sadd("resque:queues", "big");
				client.sync().rpush("resque:queue:big", big, "{\"class\":\"Small\",\"args\":[]}");
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));

				Fetch found = turn(resque, "big");

				assertThat(found).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.payloadText()).isEqualTo("{\"class\":\"Small\",\"args\":[]}"));
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1L);
				String entry = client.sync().lindex("resque:failed", 0);
				assertThat(entry.length()).as("the failure entry's size").isLessThan(4096);
				JsonNode failure = Json.readTree(entry);
				assertThat(failure.get("exception").asString()).isEqualTo(InvalidPayloadException.class.getName());
				assertThat(failure.get("error").asString()).contains("11534363 bytes")
					.contains("resque.pool.max-payload-size")
					.contains("10485760");
				assertThat(failure.get("payload").asString()).startsWith("{\"class\":\"Big\",\"args\":[\"xxx")
					.hasSizeLessThanOrEqualTo(1024);
				assertThat(failure.get("queue").asString()).isEqualTo("big");
				assertThat(failure.get("worker").asString()).isEqualTo(WORKER);
				assertThat(failure.get("failed_at").asString())
					.matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
				assertThat(client.sync().get("resque:stat:failed")).isEqualTo("1");
				assertThat(client.sync().llen("resque:queue:big")).isEqualTo(0L);
			}
		});
	}

	@Test
	void theLimitIsConfigurableAndAPayloadOfExactlyTheLimitRuns(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueConnection connection = new ResqueConnection(context.getBean(ResqueLettuceClient.class),
					Duration.ofSeconds(5), new Connectivity(Clock.systemUTC()));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				ResqueRedis resque = new ResqueRedis(connection, new ResqueKeys("resque"), 64);
				String exact = "{\"class\":\"Fits\",\"args\":[\"" + "y".repeat(64 - 28) + "\"]}";
				assertThat(exact).hasSize(64);
				String over = "{\"class\":\"Over\",\"args\":[\"" + "é".repeat(600) + "\"]}";
				client.sync().rpush("resque:queue:small", over, exact);
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));

				Fetch found = turn(resque, "small");

				assertThat(found).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.payloadText()).isEqualTo(exact));
				String entry = client.sync().lindex("resque:failed", 0);
				JsonNode failure = Json.readTree(entry);
				assertThat(failure).as("a valid JSON entry, no UTF-8 sequence cut in two").isNotNull();
				assertThat(failure.get("error").asString()).contains("(64 bytes)");
			}
			finally {
				connection.close();
			}
		});
	}

	@Test
	void thePropertySetsTheLimitOfThePoolsRedis(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.max-payload-size=64B")
			.run((context) -> {
				ResqueRedis resque = context.getBean(ResqueRedis.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					String fits = "{\"class\":\"Fits\",\"args\":[\"" + "y".repeat(64 - 28) + "\"]}";
					String over = "{\"class\":\"Over\",\"args\":[\"" + "z".repeat(64 - 27) + "\"]}";
					client.sync().rpush("resque:queue:prop", over, fits);
					resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));

					Fetch found = turn(resque, "prop");

					assertThat(found).isInstanceOfSatisfying(Fetch.Job.class,
							(job) -> assertThat(job.payloadText()).isEqualTo(fits));
					assertThat(client.sync().lindex("resque:failed", 0)).contains("(64 bytes)");
				}
			});
	}

	@Test
	void aLimitUnderOneByteFailsTheStart(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.max-payload-size=0B")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("resque.pool.max-payload-size"));
	}

	@Test
	void manyOversizedPayloadsAreTakenInBoundedStepsAndTheWorkerGoesOn(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueConnection connection = new ResqueConnection(context.getBean(ResqueLettuceClient.class),
					Duration.ofSeconds(5), new Connectivity(Clock.systemUTC()));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				ResqueRedis resque = new ResqueRedis(connection, new ResqueKeys("resque"), 16);
				for (int i = 0; i < 300; i++) {
					client.sync().rpush("resque:queue:junk", "{\"class\":\"Junk\",\"args\":[" + i + "]}");
				}
				client.sync().rpush("resque:queue:junk", "{\"class\":\"A\"}");
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));
				int turns = 0;
				Fetch found;
				do {
					found = turn(resque, "junk");
					turns++;
				}
				while (found instanceof Fetch.Recorded && turns < 100);
				assertThat(turns).as("turns until the job behind the junk").isGreaterThan(1);
				assertThat(found).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(job.payloadText()).isEqualTo("{\"class\":\"A\"}"));
				assertThat(client.sync().llen("resque:failed")).isEqualTo(300L);
			}
			finally {
				connection.close();
			}
		});
	}

	private static Fetch turn(ResqueRedis resque, String queues) {
		return resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse(queues), "2026-12-01 10:00:00 +0000",
					List.of(new Turn(WORKER, null, true)))
			.get(0);
	}

}
