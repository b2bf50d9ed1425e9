package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second SIGTERM while the pool drains, as Heroku may send: it neither shortens the
 * drain (a job that finishes within {@code shutdown-timeout} still finishes) nor repeats
 * it (the job cut off at the end goes back to the head of its queue exactly once).
 */
@Timeout(90)
class RepeatedSigtermTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(6);

	private ChildPool child;

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		if (this.child != null) {
			this.child.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aSecondSigtermDuringTheDrainNeitherShortensNorRepeatsIt() {
		this.child = ChildPool.start("sigterm-twice", this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
				"resque.pool.groups.g.count=2", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms");
		this.child.awaitReady(Duration.ofSeconds(30));
		// "short" ends well within the drain, "long" outlives it, "waiting" never starts
		String shortJob = RelJobs.payload("short", 2000);
		String longJob = RelJobs.payload("long", 60_000);
		String waiting = RelJobs.payload("waiting", 10);
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			Rel.push(client, List.of(shortJob, longJob));
			Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.STARTED).size() == 2,
					() -> "both jobs started: " + Rel.list(client, RelJobs.STARTED));
			Rel.push(client, List.of(waiting));

			ProcessHandle process = ProcessHandle.of(this.child.pid()).orElseThrow();
			assertThat(process.destroy()).as("first SIGTERM sent").isTrue();
			ChildPool.sleep(500);
			assertThat(process.destroy()).as("second SIGTERM sent").isTrue();
			Rel.await(Duration.ofSeconds(40), () -> !this.child.isAlive(),
					() -> "the JVM exits after its drain; its output:\n" + this.child.output());

			assertThat(Rel.list(client, RelJobs.DONE)).as("jobs done: the short job finished within the drain")
				.containsExactly("short");
			assertThat(Rel.list(client, RelJobs.STARTED)).as("jobs started").containsExactlyInAnyOrder("short", "long");
			assertThat(Rel.list(client, Rel.QUEUE_KEY)).as("queue after the stop: the cut-off job once, at the head")
				.containsExactly(longJob, waiting);
			assertThat(this.child.count("Cut off job " + RelJobs.SLOW))
				.as("jobs cut off; output:\n%s", this.child.output())
				.isEqualTo(1);
			assertThat(this.child.count("stopped after")).as("drains that ended; output:\n%s", this.child.output())
				.isEqualTo(1);
			assertThat(Rel.inFlight(client)).as("jobs left recorded in flight").isEmpty();
			assertThat(client.sync().llen("resque:failed")).as("failures").isEqualTo(0L);
			assertThat(client.sync().smembers("resque:workers")).as("workers left registered").isEmpty();
		}
	}

}
