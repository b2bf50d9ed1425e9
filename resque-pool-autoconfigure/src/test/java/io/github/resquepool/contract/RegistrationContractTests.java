package io.github.resquepool.contract;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.HEARTBEATS;
import static io.github.resquepool.contract.ContractSupport.WORKERS;
import static io.github.resquepool.contract.ContractSupport.exists;
import static io.github.resquepool.contract.ContractSupport.get;
import static io.github.resquepool.contract.ContractSupport.pushRecord;
import static io.github.resquepool.contract.ContractSupport.redisSeconds;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker registration and unregistration as Ruby's {@code Worker#startup} and
 * {@code #unregister_worker} do them (wire contract sections 6, 7 and 8).
 */
@ExtendWith(RedisExtension.class)
class RegistrationContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.groups.main.queues=high,low", "resque.pool.groups.main.count=2",
				"resque.pool.groups.rest.queues=*,!low", "resque.pool.groups.rest.count=1");

	@Test
	void workerIdsAreHostPidSlotAndConfiguredQueuesWithExactlyTwoColons(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Set<String> ids = smembers(client, WORKERS);
				assertThat(ids).hasSize(3);
				Pattern shape = Pattern.compile("^" + Pattern.quote(ContractSupport.hostname()) + ":"
						+ ProcessHandle.current().pid() + "-(\\d+):([^:]+)$");
				List<String> queueParts = new ArrayList<>();
				List<String> slots = new ArrayList<>();
				for (String id : ids) {
					assertThat(id.chars().filter((c) -> c == ':').count()).as(id).isEqualTo(2);
					assertThat(id).as("URL-safe id").matches("[A-Za-z0-9._,:*!-]+");
					Matcher matcher = shape.matcher(id);
					assertThat(matcher.matches()).as(id + " against " + shape).isTrue();
					slots.add(matcher.group(1));
					queueParts.add(matcher.group(2));
				}
				assertThat(queueParts).containsExactlyInAnyOrder("high,low", "high,low", "*");
				assertThat(slots).doesNotHaveDuplicates();
			}
		});
	}

	@Test
	void startedIsRubyTimeToS(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Set<String> ids = smembers(client, WORKERS);
				assertThat(ids).hasSize(3);
				for (String id : ids) {
					assertThat(get(client, "resque:worker:" + id + ":started")).as(id)
						.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}$");
				}
			}
		});
	}

	@Test
	void everyWorkerHasAnIsoHeartbeatTakenFromRedisTime(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Set<String> ids = smembers(client, WORKERS);
				assertThat(ids).hasSize(3);
				Map<String, String> beats = client.sync().hgetall(HEARTBEATS);
				assertThat(beats.keySet()).containsExactlyInAnyOrderElementsOf(ids);
				long now = redisSeconds(client);
				beats.forEach((id, beat) -> {
					assertThat(beat).as(id).matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00$");
					assertThat(OffsetDateTime.parse(beat).toEpochSecond()).as(id).isBetween(now - 5, now);
				});
			}
		});
	}

	@Test
	void idOfAGroupWithExclusionsCarriesOnlyTheInclusions(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(smembers(client, WORKERS)).filteredOn((id) -> id.endsWith(":*")).hasSize(1);
				assertThat(smembers(client, WORKERS)).noneMatch((id) -> id.contains("!"));
			}
		});
	}

	@Test
	void workerRemovedByAPrunerIsRegisteredAgain(TestRedis redis) {
		// a 3 s recovery timeout makes the pool beat every second
		this.runner.withPropertyValues("resque.pool.heartbeat-interval=200ms", "resque.pool.recovery-timeout=3s")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					String id = smembers(client, WORKERS).iterator().next();
					// what Ruby's unregister_worker does to another process's worker
					client.sync().srem(WORKERS, id);
					client.sync().del("resque:worker:" + id + ":started");
					client.sync().hdel(HEARTBEATS, id);
					eventually(() -> {
						assertThat(smembers(client, WORKERS)).contains(id);
						assertThat(get(client, "resque:worker:" + id + ":started"))
							.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}$");
						assertThat(client.sync().hexists(HEARTBEATS, id)).isTrue();
					});
				}
			});
	}

	@Test
	void closingTheContextUnregistersEveryWorkerAndForgetsThePool(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				pushRecord(client, "high", "r1");
				ContractJobs jobs = context.getBean(ContractJobs.class);
				eventually(() -> assertThat(jobs.workers).containsKey("r1"));
				String ranOn = jobs.workers.get("r1");
				eventually(() -> assertThat(get(client, "resque:stat:processed:" + ranOn)).isEqualTo("1"));
				Set<String> ids = smembers(client, WORKERS);
				assertThat(ids).hasSize(3).contains(ranOn);
				assertThat(client.sync().keys("resque:resquepool:*")).isNotEmpty();

				context.close();

				assertThat(smembers(client, WORKERS)).isEmpty();
				for (String id : ids) {
					assertThat(exists(client, "resque:worker:" + id)).as(id).isFalse();
					assertThat(exists(client, "resque:worker:" + id + ":started")).as(id).isFalse();
					assertThat(exists(client, "resque:stat:processed:" + id)).as(id).isFalse();
					assertThat(exists(client, "resque:stat:failed:" + id)).as(id).isFalse();
					assertThat(client.sync().hexists(HEARTBEATS, id)).as(id).isFalse();
				}
				assertThat(exists(client, HEARTBEATS)).isFalse();
				assertThat(client.sync().keys("resque:resquepool:*")).isEmpty();
				// the global counter is Resque's, not the worker's: it stays
				assertThat(get(client, "resque:stat:processed")).isEqualTo("1");
			}
		});
	}

}
