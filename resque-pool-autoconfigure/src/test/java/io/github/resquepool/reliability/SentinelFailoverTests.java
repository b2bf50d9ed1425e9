package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.embedded.SentinelRedis;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sentinel failover under a running pool configured with
 * {@code spring.data.redis.sentinel.*}: the primary is killed (kill -9) or frozen
 * (SIGSTOP), a sentinel promotes the replica, and the pool must follow by itself, taking
 * jobs from the new primary, with no worker lost. The jobs record their runs in memory,
 * since the Redis they came from may be gone.
 */
@Timeout(120)
class SentinelFailoverTests {

	private static final Duration FOLLOW_WITHIN = Duration.ofSeconds(30);

	@Test
	void afterKillingThePrimaryThePoolTakesJobsFromTheNewOne() {
		failover("kill", EmbeddedRedisServer::kill);
	}

	@Test
	void afterFreezingThePrimaryThePoolTakesJobsFromTheNewOne() {
		failover("freeze", EmbeddedRedisServer::freeze);
	}

	@Test
	void aCheckpointingJobGoesOnThroughAFailoverAndIsRecordedOnceOnTheNewPrimary() {
		try (SentinelRedis sentinel = SentinelRedis.start()) {
			runner(sentinel).run((context) -> {
				Runs runs = context.getBean(Runs.class);
				try (StatefulRedisConnection<String, String> primary = client(sentinel.primary())) {
					primary.sync().sadd("resque:queues", Rel.QUEUE);
					primary.sync().rpush(Rel.QUEUE_KEY, "{\"class\":\"Failover::Rows\",\"args\":[\"f\",300]}");
					Rel.await(Duration.ofSeconds(15), () -> runs.rows.size() > 30, () -> "rows before the kill");
				}
				sentinel.replica().awaitSyncedWithPrimary(Duration.ofSeconds(10));
				int beforeKill = runs.rows.size();
				sentinel.primary().kill();
				sentinel.awaitFailover(Duration.ofSeconds(30));
				Rel.await(FOLLOW_WITHIN, () -> runs.finished.contains("f"),
						() -> "the job finished: " + runs.rows.size());
				// The job went on from where it was (its checkpoints waited for the new
				// primary), never from the start.
				assertThat(beforeKill).isLessThan(300);
				assertThat(runs.starts).containsExactly(0L);
				assertThat(runs.rows).hasSize(300).doesNotHaveDuplicates();
				try (StatefulRedisConnection<String, String> next = client(sentinel.replica())) {
					Rel.await(Duration.ofSeconds(10), () -> "1".equals(next.sync().get("resque:stat:processed")),
							() -> "processed once on the new primary: " + next.sync().get("resque:stat:processed"));
					assertThat(next.sync().llen(Rel.QUEUE_KEY)).isZero();
					assertThat(next.sync().llen("resque:failed")).isZero();
					assertThat(next.sync().keys("resque:resquepool:checkpoint:*")).isEmpty();
				}
			});
		}
	}

	private void failover(String fault, Consumer<EmbeddedRedisServer> breakPrimary) {
		try (SentinelRedis sentinel = SentinelRedis.start()) {
			runner(sentinel).run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				Runs runs = context.getBean(Runs.class);
				try (StatefulRedisConnection<String, String> primary = client(sentinel.primary())) {
					push(primary, "before", 5);
					Rel.await(Duration.ofSeconds(15), () -> runs.ids.size() == 5, () -> "5 jobs before the " + fault);
				}
				sentinel.replica().awaitSyncedWithPrimary(Duration.ofSeconds(10));
				long brokenAt = System.nanoTime();
				breakPrimary.accept(sentinel.primary());
				SentinelRedis.Address promoted = sentinel.awaitFailover(Duration.ofSeconds(30));
				assertThat(promoted.port()).isEqualTo(sentinel.replica().port());
				try (StatefulRedisConnection<String, String> next = client(sentinel.replica())) {
					push(next, "after", 5);
					Rel.await(FOLLOW_WITHIN,
							() -> runs.ids.stream().filter((id) -> id.startsWith("after")).count() == 5,
							() -> "5 jobs taken from the new primary after the " + fault + ": " + runs.ids);
				}
				Rel.report("Sentinel failover by " + fault + " of the primary -> jobs running on the new primary",
						Duration.ofNanos(System.nanoTime() - brokenAt));
				for (PoolStatus.Group group : pool.status().groups()) {
					assertThat(group.crashes()).as("crashes").isZero();
					assertThat(group.live()).as("live workers").isEqualTo(group.count());
				}
				assertThat(runs.ids).filteredOn((id) -> id.startsWith("after")).doesNotHaveDuplicates();
			});
		}
	}

	private static ApplicationContextRunner runner(SentinelRedis sentinel) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(sentinel.springPropertyValues())
			.withPropertyValues("resque.pool.groups.g.queues=" + Rel.QUEUE, "resque.pool.groups.g.count=2",
					"resque.pool.poll-interval=200ms", "resque.pool.shutdown-timeout=1s",
					"resque.pool.command-timeout=1s", "resque.pool.recovery-timeout=5s")
			.withBean(Runs.class);
	}

	private static void push(StatefulRedisConnection<String, String> client, String prefix, int count) {
		client.sync().sadd("resque:queues", Rel.QUEUE);
		for (int i = 1; i <= count; i++) {
			client.sync().rpush(Rel.QUEUE_KEY, "{\"class\":\"Failover::Run\",\"args\":[\"" + prefix + i + "\"]}");
		}
	}

	private static StatefulRedisConnection<String, String> client(EmbeddedRedisServer server) {
		return RedisConnections.open(server.host(), server.port(), Duration.ofSeconds(5));
	}

	/** Records each run in memory. */
	static class Runs {

		final Queue<String> ids = new ConcurrentLinkedQueue<>();

		final Queue<Long> rows = new ConcurrentLinkedQueue<>();

		final Queue<Long> starts = new ConcurrentLinkedQueue<>();

		final Queue<String> finished = new ConcurrentLinkedQueue<>();

		@ResqueJob("Failover::Run")
		void run(String id) {
			this.ids.add(id);
		}

		@ResqueJob("Failover::Rows")
		void rows(String id, int count, JobContext context) throws InterruptedException {
			long next = context.cursor(Long.class).orElse(0L);
			this.starts.add(next);
			while (next < count) {
				Thread.sleep(20);
				this.rows.add(next++);
				context.checkpoint(next);
			}
			this.finished.add(id);
		}

	}

}
