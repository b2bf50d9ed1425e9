package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a JVM running the pool in the middle of slow jobs: another pool (or the
 * restarted one) recovers the jobs that were in flight, puts them back, and every job
 * runs, in-flight jobs at most once more, the others exactly once. Pools are child JVMs
 * ({@link PoolProcess}) on a private Redis.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class KillRecoveryTests {

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration READY = Duration.ofSeconds(40);

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
	void jobsInFlightInAKilledJvmRunAgainOnceItsRestartRecoversThem() {
		ChildPool first = child("kill9-first", 4).awaitReady(READY);
		List<String> payloads = Rel.slowJobs("k", 8, 1000);
		List<String> ids = Rel.ids(payloads);
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			Rel.push(client, payloads);
			Rel.await(Duration.ofSeconds(10), () -> ownedBy(first, Rel.inFlight(client)).size() == 4,
					() -> "4 jobs in flight in " + first + ": " + Rel.inFlight(client));
			ChildPool.sleep(400);

			long killedAt = System.nanoTime();
			first.kill();
			Map<String, String> heldAtKill = ownedBy(first, Rel.inFlight(client));
			List<String> startedAtKill = Rel.list(client, RelJobs.STARTED);
			List<String> doneAtKill = Rel.list(client, RelJobs.DONE);
			Set<String> mayRunTwice = new LinkedHashSet<>(startedAtKill);
			mayRunTwice.removeAll(doneAtKill);
			mayRunTwice.addAll(heldAtKill.values());
			assertThat(heldAtKill).as("jobs recorded in flight at the kill").isNotEmpty();

			ChildPool restarted = child("kill9-restarted", 4);
			Long readyAt = null;
			Long recoveredAt = null;
			Long rerunAt = null;
			long deadline = killedAt + Duration.ofSeconds(45).toNanos();
			while ((readyAt == null || recoveredAt == null || rerunAt == null) && System.nanoTime() < deadline) {
				long now = System.nanoTime();
				if (readyAt == null && restarted.output().contains("READY ")) {
					readyAt = now;
				}
				if (recoveredAt == null && client.sync().zscore(Rel.POOLS, first.poolId()) == null) {
					recoveredAt = now;
				}
				if (rerunAt == null
						&& ranAgain(heldAtKill.values(), startedAtKill, Rel.list(client, RelJobs.STARTED))) {
					rerunAt = now;
				}
				ChildPool.sleep(20);
			}
			assertThat(readyAt).as("restarted pool ready; its output:\n%s", restarted.output()).isNotNull();
			restarted.awaitReady(Duration.ofSeconds(1));
			assertThat(recoveredAt).as("the dead pool's record was recovered").isNotNull();
			assertThat(rerunAt).as("an in-flight job of the dead pool ran again").isNotNull();
			Duration ready = Duration.ofNanos(readyAt - killedAt);
			Duration recovered = Duration.ofNanos(recoveredAt - killedAt);
			Duration rerun = Duration.ofNanos(rerunAt - killedAt);
			Rel.report("kill -9 -> restarted JVM ready", ready);
			Rel.report("kill -9 -> dead pool recovered by the restarted JVM (recovery-timeout 3 s)", recovered);
			Rel.report("kill -9 -> in-flight jobs running again (restarted JVM)", rerun);

			Rel.await(Duration.ofSeconds(30),
					() -> Rel.counts(Rel.list(client, RelJobs.DONE)).keySet().containsAll(ids),
					() -> "every job done; done " + Rel.list(client, RelJobs.DONE));
			assertEveryJobRanAndNothingIsLeft(client, ids, mayRunTwice, first);
			Map<String, Long> started = Rel.counts(Rel.list(client, RelJobs.STARTED));
			Map<String, Long> before = Rel.counts(startedAtKill);
			for (String id : heldAtKill.values()) {
				assertThat(started.get(id)).as("runs of in-flight job %s", id)
					.isEqualTo(before.getOrDefault(id, 0L) + 1);
			}
		}
	}

	@Test
	void twoLivePoolsRecoverAKilledPoolsJobsWithinTheRecoveryTimeoutExactlyOnce(CapturedOutput output) {
		ChildPool victim = child("race-victim", 3);
		ChildPool survivor = child("race-survivor", 3);
		Rel.inProcessPool(this.redis.host(), this.redis.port(), "resque.pool.groups.g.count=3",
				"resque.pool.recovery-timeout=" + RECOVERY_TIMEOUT.toSeconds() + "s")
			.run((context) -> {
				victim.awaitReady(READY);
				survivor.awaitReady(READY);
				raceToRecover(victim, survivor, output);
			});
	}

	private void raceToRecover(ChildPool victim, ChildPool survivor, CapturedOutput output) {
		List<String> payloads = Rel.slowJobs("t", 10, 1500);
		List<String> ids = Rel.ids(payloads);
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			Rel.push(client, payloads);
			Rel.await(Duration.ofSeconds(10), () -> ownedBy(victim, Rel.inFlight(client)).size() >= 2,
					() -> "2 jobs in flight in " + victim + ": " + Rel.inFlight(client));
			ChildPool.sleep(300);

			long killedAt = System.nanoTime();
			victim.kill();
			Map<String, String> heldAtKill = ownedBy(victim, Rel.inFlight(client));
			List<String> startedAtKill = Rel.list(client, RelJobs.STARTED);
			List<String> doneAtKill = Rel.list(client, RelJobs.DONE);
			Set<String> mayRunTwice = new LinkedHashSet<>(startedAtKill);
			mayRunTwice.removeAll(doneAtKill);
			mayRunTwice.addAll(heldAtKill.values());
			assertThat(heldAtKill).as("jobs recorded in flight at the kill").isNotEmpty();

			Long recoveredAt = null;
			Long rerunAt = null;
			long deadline = killedAt + RECOVERY_TIMEOUT.plusSeconds(10).toNanos();
			while ((recoveredAt == null || rerunAt == null) && System.nanoTime() < deadline) {
				long now = System.nanoTime();
				if (recoveredAt == null && client.sync().zscore(Rel.POOLS, victim.poolId()) == null) {
					recoveredAt = now;
				}
				if (rerunAt == null
						&& ranAgain(heldAtKill.values(), startedAtKill, Rel.list(client, RelJobs.STARTED))) {
					rerunAt = now;
				}
				ChildPool.sleep(20);
			}
			assertThat(recoveredAt).as("the dead pool was recovered").isNotNull();
			assertThat(rerunAt).as("an in-flight job of the dead pool ran again").isNotNull();
			Duration recovered = Duration.ofNanos(recoveredAt - killedAt);
			Duration rerun = Duration.ofNanos(rerunAt - killedAt);
			Rel.report("kill -9 -> dead pool recovered by live pools (recovery-timeout 3 s, beat 1 s)", recovered);
			Rel.report("kill -9 -> in-flight jobs running again (live pools)", rerun);

			Rel.await(Duration.ofSeconds(30),
					() -> Rel.counts(Rel.list(client, RelJobs.DONE)).keySet().containsAll(ids),
					() -> "every job done; done " + Rel.list(client, RelJobs.DONE));
			assertEveryJobRanAndNothingIsLeft(client, ids, mayRunTwice, victim);
			String recoveredLine = "Recovered dead pool " + victim.poolId();
			long inProcess = output.getAll().lines().filter((line) -> line.contains(recoveredLine)).count();
			assertThat(survivor.count(recoveredLine) + inProcess)
				.as("recoveries of the dead pool by the two live pools")
				.isEqualTo(1);
			Map<String, Long> started = Rel.counts(Rel.list(client, RelJobs.STARTED));
			Map<String, Long> done = Rel.counts(Rel.list(client, RelJobs.DONE));
			Map<String, Long> startedBefore = Rel.counts(startedAtKill);
			Map<String, Long> doneBefore = Rel.counts(doneAtKill);
			for (String id : ids) {
				if (heldAtKill.containsValue(id)) {
					assertThat(started.get(id) - startedBefore.getOrDefault(id, 0L))
						.as("runs of recovered job %s after the kill", id)
						.isEqualTo(1);
					assertThat(done.get(id) - doneBefore.getOrDefault(id, 0L))
						.as("completions of recovered job %s after the kill", id)
						.isEqualTo(1);
				}
				else {
					assertThat(started.get(id)).as("runs of job %s (not in the killed JVM)", id).isEqualTo(1);
					assertThat(done.get(id)).as("completions of job %s (not in the killed JVM)", id).isEqualTo(1);
				}
			}
		}
	}

	private void assertEveryJobRanAndNothingIsLeft(StatefulRedisConnection<String, String> client, List<String> ids,
			Set<String> mayRunTwice, ChildPool dead) {
		ChildPool.sleep(300);
		Map<String, Long> done = Rel.counts(Rel.list(client, RelJobs.DONE));
		assertThat(done.keySet()).as("jobs done").containsExactlyInAnyOrderElementsOf(ids);
		done.forEach((id, times) -> {
			if (times > 1) {
				assertThat(mayRunTwice).as("job %s ran %s times; only jobs in flight at the kill may repeat", id, times)
					.contains(id);
				assertThat(times).as("runs of %s", id).isEqualTo(2);
			}
		});
		assertThat(client.sync().llen(Rel.QUEUE_KEY)).as("jobs left in the queue").isEqualTo(0L);
		assertThat(Rel.inFlight(client)).as("jobs left recorded in flight").isEmpty();
		assertThat(client.sync().llen("resque:failed")).as("failures").isEqualTo(0L);
		assertThat(Rel.traces(client, dead.workerIdPrefix())).as("traces of the dead pool's workers").isEmpty();
		assertThat(Rel.traces(client, dead.poolId())).as("traces of the dead pool").isEmpty();
	}

	private static boolean ranAgain(java.util.Collection<String> held, List<String> startedAtKill,
			List<String> started) {
		Map<String, Long> before = Rel.counts(startedAtKill);
		Map<String, Long> now = Rel.counts(started);
		return held.stream().anyMatch((id) -> now.getOrDefault(id, 0L) > before.getOrDefault(id, 0L));
	}

	private static Map<String, String> ownedBy(ChildPool child, Map<String, String> inFlight) {
		Map<String, String> owned = new java.util.TreeMap<>(inFlight);
		owned.keySet().removeIf((worker) -> !worker.startsWith(child.workerIdPrefix()));
		return owned;
	}

	private ChildPool child(String name, int workers) {
		ChildPool child = ChildPool.start(name, this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=" + workers, "resque.pool.poll-interval=100ms",
				"resque.pool.recovery-timeout=" + RECOVERY_TIMEOUT.toSeconds() + "s",
				"resque.pool.shutdown-timeout=1s");
		this.children.add(child);
		return child;
	}

}
