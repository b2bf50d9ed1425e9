package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

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
 * The scripts of fleet-wide limits, against lost answers, hostile data and dead pools: a
 * slot is taken once however often its worker asks, a job held back is never run by the
 * worker that asked again, keys of the wrong type never make a turn fail, and the
 * recovery of a dead pool frees its slots and lets a waiting job go.
 */
@ExtendWith(RedisExtension.class)
class LimitScriptTests {

	private static final String POOL_ID = "lim-host:41:lim001";

	private static final String WORKER = "lim-host:41-1:lim";

	private static final String OTHER = "lim-host:41-2:lim";

	private static final String PAYLOAD = "{\"class\":\"Billing::Charge\",\"args\":[\"acct-1\"]}";

	private static final LimitStore.Slot ONE = new LimitStore.Slot(
			LimitStore.classLimitId("Billing::Charge", 0, "acct-1"), 1, -1, Duration.ofSeconds(1), "class",
			"Billing::Charge", "acct-1");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void aSlotAskedForTwiceAfterALostAnswerIsTakenOnceAndAHeldBackJobIsGoneForItsWorker(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				assertThat(resque.limits().acquire(WORKER, first.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.ADMITTED);
				assertThat(resque.limits().acquire(WORKER, first.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.ADMITTED);
				assertThat(client.sync().hlen("resque:resquepool:limit:" + ONE.id() + ":held")).isEqualTo(1);
				Fetch.Job second = take(resque, client, OTHER);
				LimitStore.Admission blocked = resque.limits().acquire(OTHER, second.statusSha(), List.of(ONE));
				assertThat(blocked.kind()).isEqualTo(LimitStore.Admission.Kind.BLOCKED);
				assertThat(blocked.reason()).isEqualTo("concurrency");
				// Asked again (its answer lost): the job is no longer the worker's to
				// run.
				assertThat(resque.limits().acquire(OTHER, second.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.GONE);
				assertThat(client.sync().llen("resque:resquepool:limit:" + ONE.id() + ":waiting")).isEqualTo(1);
				assertThat(client.sync().get("resque:worker:" + OTHER)).isNull();
				// The first job's success frees its slot and puts the waiting one back at
				// the head of its queue.
				record(resque, WORKER, Outcome.succeeded(first.statusSha()));
				assertThat(client.sync().lindex("resque:queue:lim", 0)).isEqualTo(PAYLOAD);
				assertThat(client.sync()
					.exists("resque:resquepool:limit:" + ONE.id() + ":held",
							"resque:resquepool:limit:" + ONE.id() + ":waiting",
							"resque:resquepool:limit-holds:" + WORKER))
					.isZero();
				assertThat(client.sync().smembers("resque:resquepool:limits")).isEmpty();
			}
		});
	}

	@Test
	void aJobHeldBackByItsKeyedLimitFreesTheSlotsTheFetchTookWithIt(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String classLimit = LimitStore.classLimitId("Billing::Charge", 0, null);
			resque.jobs()
				.limitClasses(Map.of("Billing::Charge", List.of(new LimitStore.Slot(classLimit, 5, -1,
						Duration.ofSeconds(1), "class", "Billing::Charge", null))));
			String held = "resque:resquepool:limit:" + classLimit + ":held";
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				assertThat(resque.limits().acquire(WORKER, first.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.ADMITTED);
				Fetch.Job second = take(resque, client, OTHER);
				assertThat(client.sync().hkeys(held)).containsExactlyInAnyOrder(WORKER, OTHER);
				assertThat(resque.limits().acquire(OTHER, second.statusSha(), List.of(ONE)).kind())
					.isEqualTo(LimitStore.Admission.Kind.BLOCKED);
				// The class slot taken by the fetch went with the job: an idle worker
				// holds none.
				assertThat(client.sync().hkeys(held)).containsExactly(WORKER);
				assertThat(client.sync().exists("resque:resquepool:limit-holds:" + OTHER)).isZero();
			}
		});
	}

	@Test
	void aSlotFreedAndTakenAgainInOneFetchIsCountedOnce(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String classLimit = LimitStore.classLimitId("Billing::Charge", 0, null);
			resque.jobs()
				.limitClasses(Map.of("Billing::Charge", List.of(new LimitStore.Slot(classLimit, 2, -1,
						Duration.ofSeconds(1), "class", "Billing::Charge", null))));
			String held = "resque:resquepool:limit:" + classLimit + ":held";
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				client.sync().rpush("resque:queue:lim", PAYLOAD, PAYLOAD, PAYLOAD);
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(OTHER));
				// One call: the first worker's success frees its slot and it takes
				// another; the
				// second worker takes the last free one. Neither is held back.
				List<Fetch> found = resque.jobs()
					.cycles(POOL_ID, QueueSpec.parse("lim"), "2026-12-01 10:00:00 +0000", List
						.of(new Turn(WORKER, Outcome.succeeded(first.statusSha()), true), new Turn(OTHER, null, true)));
				assertThat(found).allSatisfy((fetch) -> assertThat(fetch).isInstanceOf(Fetch.Job.class));
				assertThat(client.sync().hkeys(held)).containsExactlyInAnyOrder(WORKER, OTHER);
				assertThat(client.sync().exists("resque:resquepool:limit:" + classLimit + ":waiting")).isZero();
				assertThat(client.sync().get("resque:resquepool:limit-holds:" + WORKER)).isEqualTo(classLimit + "\n");
				// The third job finds no room: it waits, off the queue.
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of("lim-host:41-3:lim"));
				Fetch third = resque.jobs()
					.cycles(POOL_ID, QueueSpec.parse("lim"), "2026-12-01 10:00:00 +0000",
							List.of(new Turn("lim-host:41-3:lim", null, true)))
					.get(0);
				assertThat(third).isInstanceOf(Fetch.Idle.class);
				assertThat(client.sync().llen("resque:resquepool:limit:" + classLimit + ":waiting")).isEqualTo(1);
				assertThat(client.sync().llen("resque:queue:lim")).isZero();
			}
		});
	}

	@Test
	void aHolderWhoseNextJobIsUnderTheSameLimitsKeepsItsSlotsWithoutAWrite(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String classLimit = limitClass(resque, 5);
			resque.jobs().limitQueues(Map.of("lim", new QueueLimit(5, -1, Duration.ofSeconds(1))));
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				String holds = client.sync().get("resque:resquepool:limit-holds:" + WORKER);
				assertThat(holds).isEqualTo(classLimit + "\nqueue:lim\n");
				client.sync().rpush("resque:queue:lim", PAYLOAD);
				long writes = slotWrites(client);
				Fetch next = turn(resque, WORKER, Outcome.succeeded(first.statusSha()));
				assertThat(next).isInstanceOf(Fetch.Job.class);
				assertThat(slotWrites(client)).as("HSET and HDEL calls").isEqualTo(writes);
				assertThat(client.sync().hkeys("resque:resquepool:limit:" + classLimit + ":held"))
					.containsExactly(WORKER);
				assertThat(client.sync().hkeys("resque:resquepool:limit:queue:lim:held")).containsExactly(WORKER);
				assertThat(client.sync().get("resque:resquepool:limit-holds:" + WORKER)).isEqualTo(holds);
				// A job under other limits frees the slots it does not take again.
				client.sync().rpush("resque:queue:lim", "{\"class\":\"Other::Job\",\"args\":[]}");
				Fetch other = turn(resque, WORKER, Outcome.succeeded(((Fetch.Job) next).statusSha()));
				assertThat(other).isInstanceOf(Fetch.Job.class);
				assertThat(client.sync().exists("resque:resquepool:limit:" + classLimit + ":held")).isZero();
				assertThat(client.sync().hkeys("resque:resquepool:limit:queue:lim:held")).containsExactly(WORKER);
				assertThat(client.sync().get("resque:resquepool:limit-holds:" + WORKER)).isEqualTo("queue:lim\n");
			}
		});
	}

	@Test
	void aFullLimitsHolderThatTakesAnotherJobUnderItLetsAWaitingJobBackToItsQueue(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String classLimit = limitClass(resque, 1);
			String waiting = "{\"class\":\"Billing::Charge\",\"args\":[\"waits\"]}";
			String fresh = "{\"class\":\"Billing::Charge\",\"args\":[\"fresh\"]}";
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				client.sync().rpush("resque:queue:lim", waiting);
				assertThat(turn(resque, OTHER, null)).isInstanceOf(Fetch.Idle.class);
				assertThat(client.sync().llen("resque:resquepool:limit:" + classLimit + ":waiting")).isEqualTo(1);
				// The holder takes a fresh job under the same full limit: it keeps its
				// slot, and the job that waited goes back to the head of its queue, as
				// when a slot is freed, so that fresh jobs never keep it waiting for
				// ever.
				client.sync().rpush("resque:queue:lim", fresh);
				Fetch next = turn(resque, WORKER, Outcome.succeeded(first.statusSha()));
				assertThat(next).isInstanceOfSatisfying(Fetch.Job.class,
						(job) -> assertThat(new String(job.payload(), StandardCharsets.UTF_8)).isEqualTo(fresh));
				assertThat(client.sync().hkeys("resque:resquepool:limit:" + classLimit + ":held"))
					.containsExactly(WORKER);
				assertThat(client.sync().lrange("resque:queue:lim", 0, -1)).containsExactly(waiting);
				assertThat(client.sync().exists("resque:resquepool:limit:" + classLimit + ":waiting")).isZero();
			}
		});
	}

	@Test
	void aHolderOfALimitLoweredBelowItsHoldersWaitsWithItsNextJobAsIfItHadFreedItsSlot(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			String classLimit = limitClass(resque, 2);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job first = take(resque, client, WORKER);
				take(resque, client, OTHER);
				limitClass(resque, 1);
				client.sync().rpush("resque:queue:lim", PAYLOAD);
				Fetch next = turn(resque, WORKER, Outcome.succeeded(first.statusSha()));
				assertThat(next).isInstanceOf(Fetch.Idle.class);
				assertThat(client.sync().hkeys("resque:resquepool:limit:" + classLimit + ":held"))
					.containsExactly(OTHER);
				assertThat(client.sync().exists("resque:resquepool:limit-holds:" + WORKER)).isZero();
				// Held back, then let go by the slot its worker freed, as any freed slot
				// does:
				// back at the head of its queue, where the next taker finds it.
				assertThat(client.sync().lrange("resque:queue:lim", 0, -1)).containsExactly(PAYLOAD);
			}
		});
	}

	private static String limitClass(ResqueRedis resque, int concurrency) {
		String classLimit = LimitStore.classLimitId("Billing::Charge", 0, null);
		resque.jobs()
			.limitClasses(Map.of("Billing::Charge", List.of(new LimitStore.Slot(classLimit, concurrency, -1,
					Duration.ofSeconds(1), "class", "Billing::Charge", null))));
		return classLimit;
	}

	private static Fetch turn(ResqueRedis resque, String worker, Outcome outcome) {
		return resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse("lim"), "2026-12-01 10:00:00 +0000",
					List.of(new Turn(worker, outcome, true)))
			.get(0);
	}

	private static long slotWrites(StatefulRedisConnection<String, String> client) {
		long calls = 0;
		Matcher matcher = Pattern.compile("cmdstat_(?:hset|hdel):calls=(\\d+)")
			.matcher(client.sync().info("commandstats"));
		while (matcher.find()) {
			calls += Long.parseLong(matcher.group(1));
		}
		return calls;
	}

	@Test
	void keysOfTheWrongTypeNeverMakeATurnFail(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().set("resque:resquepool:limit:" + ONE.id() + ":held", "junk");
				client.sync().set("resque:resquepool:limit-holds:" + WORKER, "junk");
				client.sync().set("resque:resquepool:limits", "junk");
				client.sync().hset("resque:resquepool:limits:due", "x", "y");
				Fetch.Job job = take(resque, client, WORKER);
				assertThat(resque.limits().acquire(WORKER, job.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.ADMITTED);
				client.sync().set("resque:resquepool:limit-holds:" + WORKER, "junk again");
				record(resque, WORKER, Outcome.succeeded(job.statusSha()));
				assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1");
				assertThat(resque.limits().wakeDue()).isZero();
				resque.jobs().limitQueues(Map.of("lim", new QueueLimit(1, 5, Duration.ofSeconds(1))));
				client.sync().set("resque:resquepool:limit:queue:lim:held", "junk");
				Fetch.Job next = take(resque, client, WORKER);
				assertThat(next.payloadText()).isEqualTo(PAYLOAD);
				assertThat(resque.limits().inUse(10, 10).limits()).isNotEmpty();
			}
		});
	}

	@Test
	void runTimeQueueLimitsAreReadWithinBoundsWhateverIsWrittenThere(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				resque.limits()
					.overrideQueue("exports", new QueueLimit(2, -1, Duration.ofSeconds(1)), "{\"by\":\"ops\"}");
				client.sync().hset("resque:resquepool:queue-limits", "huge", "1 ".repeat(100));
				client.sync().hset("resque:resquepool:queue-limits", "junk", "not numbers");
				client.sync().hset("resque:resquepool:queue-limits", "big-by", "3 -1 1000");
				client.sync().hset("resque:resquepool:queue-limits:by", "big-by", "x".repeat(2_000_000));
				for (int i = 0; i < 3000; i++) {
					client.sync().hset("resque:resquepool:queue-limits", "q" + i, "1 -1 1000");
				}
				Map<String, LimitStore.QueueOverride> read = resque.limits().queueOverrides();
				assertThat(read).hasSizeLessThanOrEqualTo(LimitStore.MAX_QUEUE_OVERRIDES)
					.doesNotContainKeys("huge", "junk");
				client.sync()
					.hdel("resque:resquepool:queue-limits",
							IntStream.range(0, 3000).mapToObj((i) -> "q" + i).toArray(String[]::new));
				read = resque.limits().queueOverrides();
				assertThat(read.get("exports").limit().concurrency()).isEqualTo(2);
				assertThat(read.get("exports").setBy()).isEqualTo("{\"by\":\"ops\"}");
				assertThat(read.get("big-by").setBy()).isNull();
				client.sync().set("resque:resquepool:queue-limits", "not a hash");
				assertThat(resque.limits().queueOverrides()).isEmpty();
			}
		});
	}

	@Test
	void theRecoveryOfADeadPoolFreesItsSlotsAndLetsAWaitingJobGo(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			ResqueRedis resque = context.getBean(ResqueRedis.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				Fetch.Job held = take(resque, client, WORKER);
				assertThat(resque.limits().acquire(WORKER, held.statusSha(), List.of(ONE)))
					.isEqualTo(LimitStore.Admission.ADMITTED);
				Fetch.Job waiting = take(resque, client, OTHER);
				assertThat(resque.limits().acquire(OTHER, waiting.statusSha(), List.of(ONE)).kind())
					.isEqualTo(LimitStore.Admission.Kind.BLOCKED);
				client.sync().del("resque:queue:lim");
				// Not dead yet: a recovery with a timeout finds its beat too recent.
				client.sync().zadd("resque:resquepool:pools", System.currentTimeMillis(), POOL_ID);
				assertThat(resque.pools().recover(POOL_ID, Duration.ofHours(1), RubyTime.failedAtNow(), true)).isNull();
				assertThat(client.sync().hlen("resque:resquepool:limit:" + ONE.id() + ":held")).isEqualTo(1);
				resque.pools().recover(POOL_ID, Duration.ZERO, RubyTime.failedAtNow(), true);
				assertThat(client.sync().exists("resque:resquepool:limit:" + ONE.id() + ":held")).isZero();
				// The held job is requeued, and the freed slot let the waiting one back
				// too.
				assertThat(client.sync().lrange("resque:queue:lim", 0, -1)).containsExactly(PAYLOAD, PAYLOAD);
				assertThat(client.sync().exists("resque:resquepool:limit:" + ONE.id() + ":waiting")).isZero();
			}
		});
	}

	private static Fetch.Job take(ResqueRedis resque, StatefulRedisConnection<String, String> client, String worker) {
		if (client.sync().llen("resque:queue:lim") == 0) {
			client.sync().rpush("resque:queue:lim", PAYLOAD);
		}
		client.sync().sadd("resque:queues", "lim");
		resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", List.of(worker));
		Fetch found = resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse("lim"), "2026-12-01 10:00:00 +0000", List.of(new Turn(worker, null, true)))
			.get(0);
		assertThat(found).isInstanceOf(Fetch.Job.class);
		return (Fetch.Job) found;
	}

	private static void record(ResqueRedis resque, String worker, Outcome outcome) {
		resque.jobs()
			.cycles(POOL_ID, QueueSpec.parse("lim"), "2026-12-01 10:00:00 +0000",
					List.of(new Turn(worker, outcome, false)));
	}

}
