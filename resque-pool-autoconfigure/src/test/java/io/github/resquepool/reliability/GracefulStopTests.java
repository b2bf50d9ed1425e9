package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a JVM running slow jobs with a short {@code shutdown-timeout}: the JVM exits
 * soon after the timeout, and the jobs it cut off are back at the head of their queue,
 * ahead of the ones that never started, in their original order.
 */
@Timeout(45)
class GracefulStopTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

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

	/**
	 * A pool that has run jobs of different lengths hands the next job to whichever
	 * worker became idle last, not simply to the last one started (as in a fresh pool).
	 * Runs pairs of a short and a long job (each pair makes the other worker the last
	 * idle one) until the first worker ran the long one, so that the first job of the
	 * test goes to the first worker: a realistic assignment that a drain iterating its
	 * workers in start order must not turn into a reversed queue.
	 */
	private static void warmUpSoTheFirstWorkerTakesTheNextJob(StatefulRedisConnection<String, String> client) {
		for (int round = 1; round <= 8; round++) {
			String longJob = "warm-long-" + round;
			Rel.push(client, List.of(RelJobs.payload("warm-short-" + round, 100), RelJobs.payload(longJob, 600)));
			Rel.await(Duration.ofSeconds(10),
					() -> Rel.list(client, RelJobs.DONE).contains(longJob)
							&& Rel.list(client, RelJobs.DONE).size() == 2,
					() -> "warm-up done: " + Rel.list(client, RelJobs.DONE));
			String worker = Rel.list(client, RelJobs.RUNS)
				.stream()
				.filter((run) -> run.startsWith(longJob + " "))
				.findFirst()
				.orElseThrow()
				.substring(longJob.length() + 1);
			client.sync().del(RelJobs.STARTED, RelJobs.DONE, RelJobs.RUNS);
			if (worker.matches(".*:\\d+-1:.*")) {
				return;
			}
		}
		throw new AssertionError("the warm-up never made the first worker take the long job, so the test would not "
				+ "check what it claims");
	}

	@Test
	void sigtermRequeuesCutOffJobsAtTheHeadInOrderAndExits() {
		ChildPool pool = ChildPool.start("sigterm", this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=2", "resque.pool.poll-interval=100ms", "resque.pool.recovery-timeout=3s",
				"resque.pool.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms");
		this.children.add(pool);
		pool.awaitReady(Duration.ofSeconds(30));
		List<String> payloads = Rel.slowJobs("s", 6, 20_000);
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			warmUpSoTheFirstWorkerTakesTheNextJob(client);
			Rel.push(client, payloads.subList(0, 1));
			Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.STARTED).size() == 1,
					() -> "s01 started: " + Rel.list(client, RelJobs.STARTED));
			Rel.push(client, payloads.subList(1, payloads.size()));
			Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.STARTED).size() == 2,
					() -> "s01 and s02 started: " + Rel.list(client, RelJobs.STARTED));
			assertThat(Rel.list(client, RelJobs.STARTED)).containsExactly("s01", "s02");
			Map<String, String> held = Rel.inFlight(client);
			ChildPool.sleep(200);

			Duration exit = pool.terminate(Duration.ofSeconds(20));
			Rel.report("SIGTERM -> JVM exit (shutdown-timeout " + SHUTDOWN_TIMEOUT.toMillis() + " ms, 2 jobs cut off)",
					exit);
			// How long it took is the benchmark's to measure and this report's to show;
			// the test
			// checks what the stop did.
			assertThat(pool.output()).as("output").contains("Cut off job " + RelJobs.SLOW);

			assertThat(Rel.list(client, RelJobs.DONE)).as("jobs done").isEmpty();
			assertThat(Rel.inFlight(client)).as("jobs left recorded in flight").isEmpty();
			assertThat(client.sync().llen("resque:failed")).as("failures").isEqualTo(0L);
			assertThat(Rel.traces(client, pool.workerIdPrefix())).as("traces of the stopped pool's workers").isEmpty();
			assertThat(Rel.traces(client, pool.poolId())).as("traces of the stopped pool").isEmpty();
			List<String> queue = Rel.list(client, Rel.QUEUE_KEY);
			String diagnosis = "cut off " + held + "; runs " + Rel.list(client, RelJobs.RUNS) + "; queue "
					+ Rel.ids(queue);
			assertThat(queue).as("queue after the stop: every job once, none lost (%s)", diagnosis)
				.containsExactlyInAnyOrderElementsOf(payloads);
			assertThat(queue.subList(0, 2)).as("the cut-off jobs are at the head (%s)", diagnosis)
				.containsExactlyInAnyOrderElementsOf(payloads.subList(0, 2));
			assertThat(queue).as("queue after the stop, head first, in the original order (%s)", diagnosis)
				.containsExactlyElementsOf(payloads);
		}
	}

}
