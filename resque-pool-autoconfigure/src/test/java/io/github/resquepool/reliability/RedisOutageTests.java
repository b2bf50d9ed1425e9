package io.github.resquepool.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped for a few seconds and started again during steady processing. Most tests
 * use a private embedded Redis with an append-only file ({@code appendfsync always}), so
 * what Redis had acknowledged survives the restart, as on a production Redis with
 * persistence: then processing resumes by itself and nothing may be lost or run twice,
 * even when the outage outlasts {@code recovery-timeout}. One test uses a server that
 * comes back empty ({@link TestRedis}), as a Redis without persistence does: the pool
 * must register itself again quickly, or a crash right after would leave its jobs
 * unrecoverable.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageTests {

	private static final Duration OUTAGE = Duration.ofSeconds(3);

	private final List<ChildPool> children = new ArrayList<>();

	private final List<Runnable> cleanup = new ArrayList<>();

	private EmbeddedRedisServer server;

	@AfterEach
	void stopEverything() {
		this.children.forEach(ChildPool::close);
		if (this.server != null) {
			this.server.stop();
		}
		this.cleanup.forEach(Runnable::run);
	}

	@Test
	void processingResumesByItselfAfterARedisRestartAndEveryJobRunsExactlyOnce(@TempDir Path dir) {
		this.server = persistentRedis(dir);
		List<String> payloads = Rel.slowJobs("o", 24, 150);
		List<String> late = Rel.slowJobs("late", 5, 50);
		Rel.inProcessPool(this.server.host(), this.server.port(), "resque.pool.groups.g.count=3").run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			try (StatefulRedisConnection<String, String> before = client()) {
				Rel.push(before, payloads);
				Rel.await(Duration.ofSeconds(10), () -> Rel.list(before, RelJobs.DONE).size() >= 6,
						() -> "6 jobs done before the outage: " + Rel.list(before, RelJobs.DONE));
			}
			this.server.stop();
			ChildPool.sleep(OUTAGE.toMillis());
			this.server.restart();
			long restartedAt = System.nanoTime();
			try (StatefulRedisConnection<String, String> client = client()) {
				List<String> queuedAtRestart = Rel.ids(Rel.list(client, Rel.QUEUE_KEY));
				assertThat(queuedAtRestart).as("jobs still queued when Redis came back (persistence works)")
					.isNotEmpty();
				Rel.await(Duration.ofSeconds(20),
						() -> Rel.list(client, RelJobs.STARTED).stream().anyMatch(queuedAtRestart::contains),
						() -> "a job queued at the restart started; pool status " + pool.status());
				Rel.report("Redis back -> pool takes jobs again (outage " + OUTAGE.toSeconds() + " s)",
						Duration.ofNanos(System.nanoTime() - restartedAt));
				ResqueClient resque = context.getBean(ResqueClient.class);
				for (String payload : late) {
					resque.enqueue(Rel.QUEUE, RelJobs.SLOW, Rel.id(payload), 50);
				}
				List<String> ids = new ArrayList<>(Rel.ids(payloads));
				ids.addAll(Rel.ids(late));
				Rel.await(Duration.ofSeconds(20), () -> Rel.list(client, RelJobs.DONE).containsAll(ids),
						() -> "every job done: " + Rel.list(client, RelJobs.DONE) + "; status " + pool.status());
				ChildPool.sleep(300);

				assertThat(Rel.counts(Rel.list(client, RelJobs.DONE))).as("completions per job")
					.containsOnlyKeys(ids)
					.allSatisfy((id, times) -> assertThat(times).as("completions of %s", id).isEqualTo(1));
				assertThat(Rel.counts(Rel.list(client, RelJobs.STARTED))).as("runs per job")
					.containsOnlyKeys(ids)
					.allSatisfy((id, times) -> assertThat(times).as("runs of %s", id).isEqualTo(1));
				assertThat(client.sync().llen(Rel.QUEUE_KEY)).as("jobs left in the queue").isEqualTo(0L);
				assertThat(Rel.inFlight(client)).as("jobs left recorded in flight").isEmpty();
				assertThat(client.sync().llen("resque:failed")).as("failures").isEqualTo(0L);
				Rel.await(Duration.ofSeconds(5),
						() -> String.valueOf(ids.size()).equals(client.sync().get("resque:stat:processed")),
						() -> "stat:processed = " + ids.size() + ": " + client.sync().get("resque:stat:processed"));
				assertThat(client.sync().smembers("resque:workers")).as("registered workers").hasSize(3);
				assertThat(pool.status().redisUp()).as("pool sees Redis").isTrue();
			}
		});
	}

	@Test
	void twoPoolsDoNotRecoverEachOtherAfterAnOutageLongerThanTheRecoveryTimeout(@TempDir Path dir,
			CapturedOutput output) {
		this.server = persistentRedis(dir);
		String[] settings = { "resque.pool.groups.g.count=2", "resque.pool.recovery-timeout=3s" };
		ChildPool other = ChildPool.start("outage-other-pool", this.server.host(), this.server.port(),
				Rel.poolSettings(settings));
		this.children.add(other);
		List<String> payloads = Rel.slowJobs("x", 4, 5000);
		Rel.inProcessPool(this.server.host(), this.server.port(), settings).run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			other.awaitReady(Duration.ofSeconds(40));
			try (StatefulRedisConnection<String, String> before = client()) {
				Rel.push(before, payloads);
				Rel.await(Duration.ofSeconds(10), () -> Rel.inFlight(before).size() == 4,
						() -> "4 jobs in flight: " + Rel.inFlight(before));
			}
			this.server.stop();
			ChildPool.sleep(OUTAGE.plusSeconds(1).toMillis());
			this.server.restart();
			try (StatefulRedisConnection<String, String> client = client()) {
				long restartedAt = redisMillis(client);
				List<String> ids = Rel.ids(payloads);
				List<String> poolIds = List.of(pool.status().poolId(), other.poolId());
				Rel.await(Duration.ofSeconds(25),
						() -> Rel.list(client, RelJobs.DONE).containsAll(ids) && Rel.inFlight(client).isEmpty()
								&& poolIds.stream().allMatch((id) -> beatSince(client, id, restartedAt)),
						() -> "every job done and acknowledged, both pools beating again: done "
								+ Rel.list(client, RelJobs.DONE) + ", in flight " + Rel.inFlight(client) + ", pools "
								+ client.sync().zrangeWithScores(Rel.POOLS, 0, -1) + "; status " + pool.status());
				// a recovery of a live pool shows within a beat (1 s): its jobs run again
				// at once
				ChildPool.sleep(1500);

				String recovered = "Recovered dead pool";
				List<String> inProcessRecoveries = output.getAll()
					.lines()
					.filter((line) -> line.contains(recovered))
					.toList();
				assertThat(Rel.counts(Rel.list(client, RelJobs.STARTED)))
					.as("runs per job (runs %s; recoveries in the test JVM %s, in the child %s)",
							Rel.list(client, RelJobs.RUNS), inProcessRecoveries, other.count(recovered))
					.containsOnlyKeys(ids)
					.allSatisfy((id, times) -> assertThat(times).as("runs of %s", id).isEqualTo(1));
				assertThat(inProcessRecoveries).as("recoveries by the in-process pool").isEmpty();
				assertThat(other.count(recovered)).as("recoveries by the other pool; its output:\n%s", other.output())
					.isZero();
				assertThat(client.sync().llen(Rel.QUEUE_KEY)).as("jobs left in the queue").isEqualTo(0L);
				Set<String> workers = new TreeSet<>(client.sync().smembers("resque:workers"));
				assertThat(workers).as("registered workers of both live pools").hasSize(4);
				assertThat(client.sync().zrange(Rel.POOLS, 0, -1)).as("live pools")
					.containsExactlyInAnyOrder(pool.status().poolId(), other.poolId());
			}
		});
	}

	@Test
	void afterRedisComesBackEmptyThePoolIsRegisteredAndRecoverableAgainWithinSeconds() {
		TestRedis empty = TestRedis.startNew();
		this.cleanup.add(empty::close);
		Rel.inProcessPool(empty.host(), empty.port(), "resque.pool.groups.g.count=2", "resque.pool.recovery-timeout=3s")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				String poolId = pool.status().poolId();
				try (StatefulRedisConnection<String, String> client = empty.connect()) {
					Rel.push(client, Rel.slowJobs("before", 2, 50));
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).size() == 2,
							() -> "jobs done before the outage: " + Rel.list(client, RelJobs.DONE));
				}
				empty.stop();
				ChildPool.sleep(2000);
				empty.restart();
				long restartedAt = System.nanoTime();
				try (StatefulRedisConnection<String, String> client = empty.connect()) {
					String poolWorkers = "resque:resquepool:pool:" + poolId + ":workers";
					Rel.await(Duration.ofSeconds(5),
							() -> client.sync().scard("resque:workers") == 2 && client.sync().scard(poolWorkers) == 2,
							() -> "the pool's 2 workers registered again (in " + poolWorkers
									+ " too) after Redis came back " + "empty: workers "
									+ client.sync().smembers("resque:workers") + ", pool's "
									+ client.sync().smembers(poolWorkers) + ", pools "
									+ client.sync().zrange(Rel.POOLS, 0, -1) + "; status " + pool.status());
					Rel.report("empty Redis back -> workers registered again",
							Duration.ofNanos(System.nanoTime() - restartedAt));
					List<String> after = Rel.slowJobs("after", 4, 50);
					Rel.push(client, after);
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).containsAll(Rel.ids(after)),
							() -> "jobs enqueued after the restart done: " + Rel.list(client, RelJobs.DONE));
					assertThat(client.sync().llen("resque:failed")).as("failures").isEqualTo(0L);
				}
			});
	}

	private static long redisMillis(StatefulRedisConnection<String, String> client) {
		List<String> time = client.sync().time();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	private static boolean beatSince(StatefulRedisConnection<String, String> client, String poolId, long millis) {
		Double score = client.sync().zscore(Rel.POOLS, poolId);
		return score != null && score > millis;
	}

	private static EmbeddedRedisServer persistentRedis(Path dir) {
		return EmbeddedRedisServer.start(0,
				List.of("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
	}

	private StatefulRedisConnection<String, String> client() {
		return RedisConnections.open(this.server.host(), this.server.port());
	}

}
