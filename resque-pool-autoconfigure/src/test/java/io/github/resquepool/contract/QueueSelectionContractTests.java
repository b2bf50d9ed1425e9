package io.github.resquepool.contract;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.during;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.push;
import static io.github.resquepool.contract.ContractSupport.pushRecord;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which queue a worker takes its next job from (wire contract section 4 "Reserve" and
 * "Queue list syntax and expansion"), and {@code pause-all-workers}.
 */
@ExtendWith(RedisExtension.class)
class QueueSelectionContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner();

	private static String[] group(String queues) {
		return new String[] { "resque.pool.groups.main.queues=" + queues, "resque.pool.groups.main.count=1" };
	}

	@Test
	void queueListIsAStrictPriorityOrder(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			for (int i = 1; i <= 3; i++) {
				pushRecord(client, "low", "low-" + i);
				pushRecord(client, "high", "high-" + i);
			}
		}
		this.runner.withPropertyValues(group("high,low")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).hasSize(6));
			assertThat(jobs.records).containsExactly("high-1", "high-2", "high-3", "low-1", "low-2", "low-3");
		});
	}

	@Test
	void afterEveryJobTheWorkerStartsAgainFromTheFirstQueue(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			push(client, "low", ContractSupport.payload("Contract::Block", "[\"low-1\"]"));
			pushRecord(client, "low", "low-2");
		}
		this.runner.withPropertyValues(group("high,low")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(() -> assertThat(jobs.started).contains("low-1"));
				pushRecord(client, "high", "high-1");
				jobs.open("low-1");
				eventually(() -> assertThat(jobs.records).hasSize(3));
				assertThat(jobs.records).containsExactly("low-1", "high-1", "low-2");
			}
		});
	}

	@Test
	void globTakesFromEveryMatchingQueueAndNoOther(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, "file_b", "b");
			pushRecord(client, "file_a", "a");
			pushRecord(client, "files", "files");
			pushRecord(client, "xfile_a", "x");
		}
		this.runner.withPropertyValues(group("file_*")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).containsExactlyInAnyOrder("a", "b"));
			// sorted expansion: file_a before file_b
			assertThat(jobs.records).containsExactly("a", "b");
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				during(Duration.ofMillis(600), () -> {
					assertThat(llen(client, "resque:queue:files")).isEqualTo(1);
					assertThat(llen(client, "resque:queue:xfile_a")).isEqualTo(1);
				});
			}
			assertThat(jobs.records).containsExactly("a", "b");
		});
	}

	@Test
	void bracketClassAndQuestionMarkMatchAsFnmatchDoes(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, "file_a", "a");
			pushRecord(client, "file_c", "c");
			pushRecord(client, "file_d", "d");
			pushRecord(client, "q1", "q1");
			pushRecord(client, "q12", "q12");
		}
		this.runner.withPropertyValues(group("file_[a-c],q?")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).containsExactlyInAnyOrder("a", "c", "q1"));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				during(Duration.ofMillis(600), () -> {
					assertThat(llen(client, "resque:queue:file_d")).isEqualTo(1);
					assertThat(llen(client, "resque:queue:q12")).isEqualTo(1);
				});
			}
		});
	}

	@Test
	void questionMarkMatchesOneCharacterNotOneByte(TestRedis redis) {
		// Ruby's File.fnmatch is encoding-aware: "q?" matches "qé" (two bytes in UTF-8)
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, "qé", "q-e-acute");
			pushRecord(client, "qx", "q-x");
		}
		this.runner.withPropertyValues(group("q?")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(Duration.ofSeconds(2),
					() -> assertThat(jobs.records).containsExactlyInAnyOrder("q-e-acute", "q-x"));
		});
	}

	@Test
	void dynamicListKeepsEntryOrderAndSortsWithinEachEntry(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, "alpha", "alpha");
			pushRecord(client, "zeta", "zeta");
			pushRecord(client, "apple", "apple");
			pushRecord(client, "critical", "critical");
		}
		this.runner.withPropertyValues(group("critical,z*,a*")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).hasSize(4));
			assertThat(jobs.records).containsExactly("critical", "zeta", "alpha", "apple");
		});
	}

	@Test
	void literalEntryOfADynamicListIsOnlyWorkedOnceInTheQueuesSet(TestRedis redis) {
		this.runner.withPropertyValues(group("lit,!low")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().rpush("resque:queue:lit", ContractSupport.payload("Contract::Record", "[\"lit\"]"));
				during(Duration.ofMillis(600), () -> assertThat(llen(client, "resque:queue:lit")).isEqualTo(1));
				client.sync().sadd("resque:queues", "lit");
				eventually(() -> assertThat(jobs.records).containsExactly("lit"));
			}
		});
	}

	@Test
	void exclusionIsNeverTakenFrom(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, "low", "low");
			pushRecord(client, "mail", "mail");
			pushRecord(client, "alpha", "alpha");
		}
		this.runner.withPropertyValues(group("*,!low")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).containsExactly("alpha", "mail"));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				pushRecord(client, "mail", "mail-2");
				eventually(() -> assertThat(jobs.records).contains("mail-2"));
				during(Duration.ofMillis(600), () -> assertThat(llen(client, "resque:queue:low")).isEqualTo(1));
			}
			assertThat(jobs.records).doesNotContain("low");
		});
	}

	@Test
	void starDoesNotTakeFromQueuesStartingWithADot(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			pushRecord(client, ".hidden", "hidden");
			pushRecord(client, "visible", "visible");
		}
		this.runner.withPropertyValues(group("*")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).contains("visible"));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				during(Duration.ofMillis(600), () -> assertThat(llen(client, "resque:queue:.hidden")).isEqualTo(1));
			}
		});
	}

	@Test
	void queueCreatedAfterStartIsPickedUpByAStarWorkerWithinThePollInterval(TestRedis redis) {
		this.runner.withPropertyValues(group("*"))
			.withPropertyValues("resque.pool.poll-interval=200ms")
			.run((context) -> {
				ContractJobs jobs = context.getBean(ContractJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// let the worker go idle on an empty queues set first
					Thread.sleep(400);
					client.sync().sadd("resque:queues", "brand_new");
					client.sync()
						.rpush("resque:queue:brand_new", ContractSupport.payload("Contract::Record", "[\"new\"]"));
					eventually(Duration.ofSeconds(5), () -> assertThat(jobs.records).contains("new"));
					assertThat(jobs.queues).containsEntry("new", "brand_new");
				}
			});
	}

	@Test
	void staticListIsWorkedEvenWhenItsQueuesAreNotInTheQueuesSet(TestRedis redis) {
		this.runner.withPropertyValues(group("mail,missing")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Thread.sleep(200);
				// RPUSH without SADD: a static list does not consult the queues set
				client.sync().rpush("resque:queue:missing", ContractSupport.payload("Contract::Record", "[\"m\"]"));
				eventually(() -> assertThat(jobs.records).contains("m"));
			}
		});
	}

	@Test
	void pauseAllWorkersStopsTakingJobsUntilItIsDeleted(TestRedis redis) {
		this.runner.withPropertyValues(group("q")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().set("resque:pause-all-workers", " TRUE ");
				Thread.sleep(250);
				pushRecord(client, "q", "paused");
				during(Duration.ofMillis(1500), () -> assertThat(llen(client, "resque:queue:q")).isEqualTo(1));
				assertThat(jobs.records).isEmpty();
				client.sync().del("resque:pause-all-workers");
				eventually(() -> assertThat(jobs.records).containsExactly("paused"));
			}
		});
	}

	@Test
	void pauseAllWorkersWithAnotherValueDoesNotPause(TestRedis redis) {
		this.runner.withPropertyValues(group("q")).run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().set("resque:pause-all-workers", "false");
				pushRecord(client, "q", "running");
				eventually(() -> assertThat(jobs.records).containsExactly("running"));
			}
		});
	}

}
