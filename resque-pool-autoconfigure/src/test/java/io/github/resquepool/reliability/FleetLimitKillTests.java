package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet-wide limits through a kill -9: three pools of 8 workers (child JVMs,
 * {@code recovery-timeout} 5 s) run 300 charges under {@code @ResqueLimit(concurrency =
 * 3)} and one per account over 10 accounts ({@link RelLimitJobs}), and one pool is killed
 * mid-run while it holds a slot. Its slots stay held until a live pool recovers it, never
 * freed by a timer, then come back; the limits hold throughout, counted exactly from the
 * jobs' own marks in Redis; every job runs, only the dead pool's in-flight ones twice at
 * most; the run ends within the recovery timeout plus twice the work left.
 */
@Timeout(180)
class FleetLimitKillTests {

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration READY = Duration.ofSeconds(60);

	private static final int JOBS = 300;

	private static final int ACCOUNTS = 10;

	private static final long JOB_MILLIS = 40;

	private static final String POOLS = "resque:resquepool:pools";

	/** The held hashes of the charge's limits, in the order they are declared. */
	private static final List<String> HELD_KEYS = heldKeys();

	/**
	 * Reads at one instant Redis's clock, a pool's last beat, and the slots held by the
	 * workers whose ids start with a prefix.
	 */
	private static final String SNAPSHOT = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local out = {tostring(now), redis.call('ZSCORE', ARGV[1], ARGV[2]) or ''}
			for _, key in ipairs(KEYS) do
			  for _, field in ipairs(redis.call('HKEYS', key)) do
			    if string.sub(field, 1, #ARGV[3]) == ARGV[3] then out[#out + 1] = key .. ' ' .. field end
			  end
			end
			return out
			""";

	private static final Pattern CHARGE_ID = Pattern.compile("\"args\":\\[\"[^\"]*\",\"([^\"]+)\"");

	private final List<ChildPool> children = new ArrayList<>();

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		this.children.forEach(ChildPool::close);
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aKilledPoolsSlotsStayHeldUntilItIsRecoveredAndTheLimitsHoldThroughout() {
		ChildPool victim = child("limit-kill-victim");
		child("limit-kill-a");
		child("limit-kill-b");
		this.children.forEach((child) -> child.awaitReady(READY));
		List<String> payloads = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			String id = String.format("c%03d", i);
			ids.add(id);
			payloads.add(RelLimitJobs.payload("account-" + (i % ACCOUNTS), id, JOB_MILLIS));
		}
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			long pushedAt = System.nanoTime();
			Rel.push(client, payloads);
			Rel.await(Duration.ofSeconds(60), () -> client.sync().llen(RelLimitJobs.DONE) >= JOBS / 3,
					() -> "a third of the charges done: " + client.sync().llen(RelLimitJobs.DONE));

			// Freeze the victim until it is seen holding a slot, and kill it frozen, so
			// that it dies holding one.
			long lookUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			int looks = 0;
			while (true) {
				looks++;
				victim.freeze();
				if (!snapshot(client, victim).held().isEmpty()) {
					break;
				}
				victim.thaw();
				assertThat(System.nanoTime()).as("the victim held a slot within 20 s").isLessThan(lookUntil);
				ChildPool.sleep(5);
			}
			victim.kill();
			long killedAt = System.nanoTime();
			// Its runs provably run no more: the marks count them out from here on.
			client.sync().sadd(RelLimitJobs.DEAD, Long.toString(victim.pid()));
			Snapshot atKill = snapshot(client, victim);
			Map<String, String> inFlightAtKill = chargesHeldBy(client, victim);
			List<String> doneAtKill = Rel.list(client, RelLimitJobs.DONE);
			Set<String> runningAtKill = new HashSet<>();
			client.sync()
				.hkeys(RelLimitJobs.LIVE)
				.stream()
				.filter((run) -> run.startsWith(victim.pid() + " "))
				.forEach((run) -> runningAtKill.add(run.split(" ")[1]));
			Set<String> mayRunTwice = new HashSet<>(inFlightAtKill.values());
			mayRunTwice.addAll(runningAtKill);
			System.out.println("[limit-kill] the dead pool held " + atKill.held() + ", jobs " + inFlightAtKill
					+ ", running " + runningAtKill + "; last beat " + atKill.beatAge() + " ms before; "
					+ doneAtKill.size() + " runs done; seen holding a slot at look " + looks);
			assertThat(atKill.held()).as("slots the dead pool held at the kill").isNotEmpty();
			assertThat(inFlightAtKill).as("jobs the dead pool held at the kill").isNotEmpty();

			// No timer frees a dead pool's slots: while its last beat is younger than
			// recovery-timeout (nobody may recover it yet), they stay held.
			assertThat(atKill.beat()).as("the dead pool's last beat").isNotNull();
			long lastBeat = atKill.beat();
			Snapshot last = atKill;
			int samples = 0;
			while (last.now() - lastBeat < RECOVERY_TIMEOUT.toMillis() - 300) {
				long age = last.now() - lastBeat;
				assertThat(last.beat()).as("the dead pool's record %s ms after its last beat", age).isEqualTo(lastBeat);
				assertThat(last.held()).as("slots of the dead pool %s ms after its last beat", age)
					.containsExactlyInAnyOrderElementsOf(atKill.held());
				samples++;
				ChildPool.sleep(50);
				last = snapshot(client, victim);
			}
			assertThat(samples).as("samples while its slots could not be released yet").isGreaterThan(10);
			System.out.println("[limit-kill] the dead pool's slots were still held " + (last.now() - lastBeat)
					+ " ms after its last beat (" + samples + " samples)");

			// Its recovery gives them back, in the same script that forgets the pool.
			Snapshot[] recovered = new Snapshot[1];
			Rel.await(RECOVERY_TIMEOUT.plusSeconds(15), () -> {
				recovered[0] = snapshot(client, victim);
				return recovered[0].beat() == null;
			}, () -> "the dead pool was recovered: " + snapshot(client, victim));
			Duration recoveredAfter = Duration.ofNanos(System.nanoTime() - killedAt);
			assertThat(recovered[0].held()).as("slots of the dead pool once it is recovered").isEmpty();
			assertThat(client.sync().keys("resque:resquepool:limit-holds:" + victim.workerIdPrefix() + "*"))
				.as("slot lists of the dead pool's workers once it is recovered")
				.isEmpty();
			Rel.report("kill -9 -> dead pool's limit slots released by its recovery (recovery-timeout 5 s)",
					recoveredAfter);

			Set<String> doneIds = new HashSet<>();
			Rel.await(Duration.ofSeconds(60), () -> {
				Rel.list(client, RelLimitJobs.DONE).forEach((mark) -> doneIds.add(mark.split(" ")[1]));
				return doneIds.containsAll(ids);
			}, () -> "every charge done; missing " + ids.stream().filter((id) -> !doneIds.contains(id)).toList());
			Duration took = Duration.ofNanos(System.nanoTime() - killedAt);

			// The work left at the kill, at the pace the fleet kept before it (start-up
			// included, so an overestimate).
			Set<String> finishedAtKill = new HashSet<>();
			doneAtKill.forEach((mark) -> finishedAtKill.add(mark.split(" ")[1]));
			finishedAtKill.removeAll(mayRunTwice);
			int left = JOBS - finishedAtKill.size();
			double perSecond = doneAtKill.size() / Rel.seconds(Duration.ofNanos(killedAt - pushedAt));
			Duration work = Duration.ofMillis(Math.round(left / perSecond * 1000));
			Duration bound = RECOVERY_TIMEOUT.plus(work.multipliedBy(2));
			Rel.report("kill -9 -> last of 300 limited charges done (" + left + " left at "
					+ String.format(Locale.ROOT, "%.1f", perSecond) + "/s, work left " + Rel.seconds(work)
					+ " s, bound " + Rel.seconds(bound) + " s)", took);
			assertThat(took).as("kill to the end of the run, bound recovery-timeout + 2 x work left %s", work)
				.isLessThanOrEqualTo(bound);

			assertLimitsHeld(client);
			assertEveryChargeRan(client, ids, mayRunTwice);
			Rel.await(Duration.ofSeconds(10),
					() -> String.valueOf(JOBS).equals(client.sync().get("resque:stat:processed")),
					() -> "processed: " + client.sync().get("resque:stat:processed"));
			assertThat(client.sync().get("resque:stat:failed")).as("stat:failed").isIn(null, "0");
			assertThat(client.sync().llen("resque:failed")).as("failures").isZero();
			assertThat(client.sync().llen(Rel.QUEUE_KEY)).as("jobs left in the queue").isZero();
			assertThat(client.sync().keys("resque:resquepool:limit:*:waiting")).as("jobs held back").isEmpty();
			assertThat(client.sync().keys("resque:resquepool:limit:*:held")).as("slots held").isEmpty();
			assertThat(client.sync().keys("resque:resquepool:limit-holds:*")).as("slot lists").isEmpty();
			assertThat(Rel.traces(client, victim.workerIdPrefix())).as("traces of the dead pool's workers").isEmpty();
			assertThat(Rel.traces(client, victim.poolId())).as("traces of the dead pool").isEmpty();
			// Only the runs that died with the JVM never ended.
			assertThat(client.sync().hkeys(RelLimitJobs.LIVE))
				.allSatisfy((run) -> assertThat(run).startsWith(victim.pid() + " "))
				.hasSize(runningAtKill.size());
		}
	}

	private void assertLimitsHeld(StatefulRedisConnection<String, String> client) {
		assertThat(client.sync().lrange(RelLimitJobs.OVER, 0, -1)).as("runs under way when a limit was exceeded")
			.isEmpty();
		Map<String, String> most = client.sync().hgetall(RelLimitJobs.MOST);
		System.out.println("[limit-kill] most charges running at once: " + new TreeMap<>(most));
		// 24 workers were there to run more at once: the class limit bound.
		assertThat(Integer.parseInt(most.get("all"))).as("most charges running at once")
			.isBetween(2, RelLimitJobs.CONCURRENCY);
		assertThat(most.keySet()).as("accounts seen").hasSize(ACCOUNTS + 1);
		most.forEach((field, value) -> {
			if (field.startsWith("key:")) {
				assertThat(Integer.parseInt(value)).as("most charges of %s at once", field)
					.isEqualTo(RelLimitJobs.PER_KEY);
			}
		});
	}

	private void assertEveryChargeRan(StatefulRedisConnection<String, String> client, List<String> ids,
			Set<String> mayRunTwice) {
		Map<String, Long> started = Rel
			.counts(Rel.list(client, RelLimitJobs.STARTED).stream().map((mark) -> mark.split(" ")[1]).toList());
		Map<String, Long> done = Rel
			.counts(Rel.list(client, RelLimitJobs.DONE).stream().map((mark) -> mark.split(" ")[1]).toList());
		assertThat(done.keySet()).as("charges done").containsExactlyInAnyOrderElementsOf(ids);
		assertThat(started.keySet()).as("charges started").containsExactlyInAnyOrderElementsOf(ids);
		started.forEach((id, times) -> {
			if (times > 1) {
				assertThat(mayRunTwice)
					.as("charge %s ran %s times; only those in flight at the kill may repeat", id, times)
					.contains(id);
				assertThat(times).as("runs of %s", id).isEqualTo(2);
			}
		});
		done.forEach((id, times) -> assertThat(times).as("ends of %s", id).isLessThanOrEqualTo(started.get(id)));
	}

	private static Snapshot snapshot(StatefulRedisConnection<String, String> client, ChildPool pool) {
		List<Object> answer = client.sync()
			.eval(SNAPSHOT, ScriptOutputType.MULTI, HELD_KEYS.toArray(String[]::new), POOLS, pool.poolId(),
					pool.workerIdPrefix());
		long now = Long.parseLong((String) answer.get(0));
		String beat = (String) answer.get(1);
		List<String> held = answer.subList(2, answer.size()).stream().map(String.class::cast).toList();
		return new Snapshot(now, beat.isEmpty() ? null : (long) Double.parseDouble(beat), held);
	}

	/**
	 * @return charge id by worker id, of the jobs recorded at {@code worker:<id>} for the
	 * workers of a pool
	 */
	private static Map<String, String> chargesHeldBy(StatefulRedisConnection<String, String> client, ChildPool pool) {
		Map<String, String> jobs = new TreeMap<>();
		for (String key : client.sync().keys("resque:worker:" + pool.workerIdPrefix() + "*")) {
			String status = key.endsWith(":started") ? null : client.sync().get(key);
			if (status != null) {
				Matcher matcher = CHARGE_ID.matcher(status);
				assertThat(matcher.find()).as("a charge's id in %s", status).isTrue();
				jobs.put(key.substring("resque:worker:".length()), matcher.group(1));
			}
		}
		return jobs;
	}

	private static List<String> heldKeys() {
		List<String> keys = new ArrayList<>();
		keys.add("resque:resquepool:limit:class:" + RelLimitJobs.CHARGE + ":0:held");
		for (int i = 0; i < ACCOUNTS; i++) {
			keys.add("resque:resquepool:limit:class:" + RelLimitJobs.CHARGE + ":1:account-" + i + ":held");
		}
		return keys;
	}

	private ChildPool child(String name) {
		ChildPool child = ChildPool.start(name, this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=8", "resque.pool.poll-interval=100ms",
				"resque.pool.recovery-timeout=" + RECOVERY_TIMEOUT.toSeconds() + "s", "resque.pool.shutdown-timeout=1s",
				"rel.limit-jobs=true");
		this.children.add(child);
		return child;
	}

	/**
	 * One instant of Redis: its clock, a pool's last beat ({@code null} once it is
	 * forgotten), and the slots its workers hold ({@code <held key> <worker id>}).
	 */
	private record Snapshot(long now, Long beat, List<String> held) {

		long beatAge() {
			return (this.beat != null) ? this.now - this.beat : -1;
		}

	}

}
