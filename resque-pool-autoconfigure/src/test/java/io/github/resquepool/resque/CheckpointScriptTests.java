package io.github.resquepool.resque;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts of long jobs, against lost answers: a requeue at a checkpoint recorded
 * twice (a turn retried after its answer was lost) puts the job back once; a checkpoint
 * of a job its worker no longer holds writes nothing; a success deletes the checkpoint
 * and a failure keeps it.
 */
@ExtendWith(RedisExtension.class)
class CheckpointScriptTests {

	private static final String POOL_ID = "cp-host:41:cp0001";

	private static final String WORKER = "cp-host:41-1:cp";

	private static final String PAYLOAD = "{\"class\":\"Imports::Rows\",\"args\":[\"a.csv\",10]}";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void aRequeueRecordedTwiceAfterALostAnswerPutsTheJobBackOnce(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job job = take(resque, client);
				Outcome head = Outcome.requeued(job.statusSha(), true);
				record(resque, head);
				record(resque, head);
				assertThat(client.sync().lrange("resque:queue:cp", 0, -1)).containsExactly(PAYLOAD,
						"{\"class\":\"Next\",\"args\":[]}");
				assertThat(client.sync().get("resque:worker:" + WORKER)).isNull();
				assertThat(client.sync().get("resque:stat:processed")).isNull();
				assertThat(client.sync().llen("resque:failed")).isZero();
				// The next turn takes the job again, as it was taken.
				Fetch.Job again = take(resque, client);
				assertThat(again.payloadText()).isEqualTo(PAYLOAD);
				record(resque, Outcome.requeued(again.statusSha(), false));
				assertThat(client.sync().lrange("resque:queue:cp", 0, -1))
					.containsExactly("{\"class\":\"Next\",\"args\":[]}", PAYLOAD);
			}
		});
	}

	@Test
	void aCheckpointIsWrittenOnlyWhileTheWorkerHoldsTheJobAndASuccessDeletesIt(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			CheckpointStore checkpoints = resque.checkpoints();
			String key = CheckpointStore.key("Imports::Rows", JobPayload.parse(PAYLOAD).args());
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job job = take(resque, client);
				assertThat(checkpoints.saveCursor(WORKER, job.statusSha(), key, "3")).isPresent();
				assertThat(checkpoints.saveCursor(WORKER, "0".repeat(40), key, "9")).isEmpty();
				assertThat(checkpoints.read(key)).map(Checkpoint::cursor).contains("3");
				assertThat(client.sync().pttl("resque:" + key)).isPositive();
				// A failure keeps it, for a retry to resume.
				record(resque,
						Outcome
							.failed(job.statusSha(),
									new FailureRecord("2026/12/07 10:00:00 UTC", PAYLOAD, "E", "boom", List.of(),
											WORKER, "cp", null))
							.withCheckpoint(key));
				assertThat(checkpoints.read(key)).isPresent();
				// Taken by no one, the job's checkpoint cannot be written.
				assertThat(checkpoints.saveCursor(WORKER, job.statusSha(), key, "4")).isEmpty();
				Fetch.Job second = take(resque, client);
				record(resque, Outcome.succeeded(second.statusSha()).withCheckpoint(key));
				assertThat(checkpoints.read(key)).isEqualTo(Optional.empty());
			}
		});
	}

	@Test
	void aCheckpointHashThatAnyoneFilledWithOtherFieldsIsReadByItsKnownFieldsOnly(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			CheckpointStore checkpoints = context.getBean(ResqueRedis.class).checkpoints();
			String key = CheckpointStore.key("Imports::Rows", JobPayload.parse(PAYLOAD).args());
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Map<String, String> junk = new HashMap<>();
				for (int i = 0; i < 50_000; i++) {
					junk.put("junk" + i, "x".repeat(20));
				}
				client.sync().hset("resque:" + key, junk);
				client.sync().hset("resque:" + key, Map.of("cursor", "7", "at", "1765100000000"));
				long before = outputBytes(client);
				assertThat(checkpoints.read(key)).map(Checkpoint::cursor).contains("7");
				// Reading all 50,000 fields would send over 1 MB.
				assertThat(outputBytes(client) - before).isLessThan(10_000);
			}
		});
	}

	private static long outputBytes(StatefulRedisConnection<String, String> client) {
		String stats = client.sync().info("stats");
		return stats.lines()
			.filter((line) -> line.startsWith("total_net_output_bytes:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
			.findFirst()
			.orElseThrow();
	}

	private static Fetch.Job take(ResqueRedis resque, StatefulRedisConnection<String, String> client) {
		if (client.sync().llen("resque:queue:cp") == 0) {
			client.sync().rpush("resque:queue:cp", PAYLOAD);
		}
		if (client.sync().lrange("resque:queue:cp", 0, -1).stream().noneMatch((p) -> p.contains("Next"))) {
			client.sync().rpush("resque:queue:cp", "{\"class\":\"Next\",\"args\":[]}");
		}
		client.sync().sadd("resque:queues", "cp");
		resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(WORKER));
		Fetch found = resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse("cp"), "2026-12-01 10:00:00 +0000", List.of(new Turn(WORKER, null, true)))
			.get(0);
		assertThat(found).isInstanceOf(Fetch.Job.class);
		return (Fetch.Job) found;
	}

	private static void record(ResqueRedis resque, Outcome outcome) {
		resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse("cp"), "2026-12-01 10:00:00 +0000",
					List.of(new Turn(WORKER, outcome, false)));
	}

}
