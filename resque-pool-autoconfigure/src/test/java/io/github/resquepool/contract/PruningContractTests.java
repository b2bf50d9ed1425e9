package io.github.resquepool.contract;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.FAILED;
import static io.github.resquepool.contract.ContractSupport.HEARTBEATS;
import static io.github.resquepool.contract.ContractSupport.WORKERS;
import static io.github.resquepool.contract.ContractSupport.during;
import static io.github.resquepool.contract.ContractSupport.exists;
import static io.github.resquepool.contract.ContractSupport.get;
import static io.github.resquepool.contract.ContractSupport.json;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.redisSeconds;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's own pruner applies Ruby's heartbeat rule under Ruby's lock (wire contract
 * section 8).
 */
@ExtendWith(RedisExtension.class)
class PruningContractTests {

	private static final String DEAD = "javahost:4242:default";

	private static final String DEAD_JOB = "{\"class\":\"Acme::Billing\",\"args\":[1,\"x\"],\"id\":\"j-1\"}";

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.groups.main.queues=q", "resque.pool.groups.main.count=1");

	/**
	 * Registers a worker as Ruby would, with a job and a heartbeat ten minutes old by
	 * Redis time.
	 */
	private static void registerDeadWorker(StatefulRedisConnection<String, String> client) {
		String old = DateTimeFormatter.ISO_OFFSET_DATE_TIME
			.format(Instant.ofEpochSecond(redisSeconds(client) - 600).atOffset(ZoneOffset.UTC));
		client.sync().sadd(WORKERS, DEAD);
		client.sync().set("resque:worker:" + DEAD + ":started", "2026-11-22 14:00:00 +0000");
		client.sync()
			.set("resque:worker:" + DEAD,
					"{\"queue\":\"default\",\"run_at\":\"2026-11-22T14:34:42Z\",\"payload\":" + DEAD_JOB + "}");
		client.sync().set("resque:stat:processed:" + DEAD, "5");
		client.sync().hset(HEARTBEATS, DEAD, old);
	}

	@Test
	void workerWhoseHeartbeatIsOlderThanThePruneIntervalIsUnregisteredAndItsJobRecorded(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			registerDeadWorker(client);
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				// The pool prunes on its liveness thread, right after its first beat.
				eventually(() -> assertThat(smembers(client, WORKERS)).doesNotContain(DEAD).hasSize(1));
				assertThat(exists(client, "resque:worker:" + DEAD)).isFalse();
				assertThat(exists(client, "resque:worker:" + DEAD + ":started")).isFalse();
				assertThat(exists(client, "resque:stat:processed:" + DEAD)).isFalse();
				assertThat(client.sync().hexists(HEARTBEATS, DEAD)).isFalse();
				assertThat(llen(client, FAILED)).isEqualTo(1);
				String raw = client.sync().lindex(FAILED, 0);
				assertThat(raw).matches("^\\{\"failed_at\":\"\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+\","
						+ "\"payload\":" + java.util.regex.Pattern.quote(DEAD_JOB)
						+ ",\"exception\":\"Resque::PruneDeadWorkerDirtyExit\",\"error\":\"Worker " + DEAD
						+ " did not gracefully exit while processing Acme::Billing\",\"backtrace\":\\[\\],\"worker\":\""
						+ DEAD + "\",\"queue\":\"default\"\\}$");
				JsonNode entry = json(raw);
				assertThat(entry.get("worker").asString()).isEqualTo(DEAD);
				// the job is not put back and stat:failed is not incremented
				assertThat(exists(client, "resque:queue:default")).isFalse();
				assertThat(get(client, "resque:stat:failed")).isNull();
				assertThat(exists(client, "resque:pruning_dead_workers_in_progress")).isTrue();
				assertThat(client.sync().ttl("resque:pruning_dead_workers_in_progress")).isBetween(1L, 60L);
			}
		});
	}

	@Test
	void pruningIsSkippedWhileAnotherWorkerHoldsRubysLock(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			registerDeadWorker(client);
			client.sync().set("resque:pruning_dead_workers_in_progress", "ruby:1:*", SetArgs.Builder.ex(60));
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				// Long enough for the pool's first prune, which runs right after its
				// first beat.
				during(Duration.ofMillis(1500), () -> assertThat(smembers(client, WORKERS)).contains(DEAD).hasSize(2));
				assertThat(exists(client, "resque:worker:" + DEAD)).isTrue();
				assertThat(llen(client, FAILED)).isZero();
				assertThat(get(client, "resque:pruning_dead_workers_in_progress")).isEqualTo("ruby:1:*");
			}
		});
	}

}
