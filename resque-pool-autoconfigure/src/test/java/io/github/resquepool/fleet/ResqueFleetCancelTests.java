package io.github.resquepool.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.actuate.endpoint.ResqueFleetEndpoint;
import io.github.resquepool.actuate.endpoint.ResqueFleetEndpointWebExtension;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Cancels of running jobs through the fleet, from a process without a pool.
 */
class ResqueFleetCancelTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private EmbeddedRedisServer redis;

	@BeforeEach
	void startRedis() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
	}

	@AfterEach
	void stopRedis() {
		this.redis.stop();
	}

	@Test
	void aCancelEndsASleepingJobAsAJobCancelledFailureAndTheWorkerTakesItsNextJob() {
		pool().run((pool) -> web().run((web) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			push("Cancel::Sleep", "\"a\"");
			await().atMost(WAIT).until(() -> jobs.started.contains("a"));
			String worker = busyWorker(pool);
			FleetResult result = web.getBean(ResqueFleet.class).cancel(worker, null, Duration.ofSeconds(10), "alice");
			assertThat(result.action()).isEqualTo("cancel");
			assertThat(result.pools()).singleElement().satisfies((ack) -> {
				assertThat(ack.status()).isEqualTo("applied");
				assertThat(ack.id()).isEqualTo(poolId(pool));
			});
			assertThat(jobs.interrupted).containsExactly("a");
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1);
				String failure = client.sync().lindex("resque:failed", 0);
				assertThat(failure).contains("\"exception\":\"ResquePool::JobCancelled\"")
					.contains("\"error\":\"Cancelled by alice at ")
					.contains("\"payload\":{\"class\":\"Cancel::Sleep\",\"args\":[\"a\"]}");
				assertThat(client.sync().llen("resque:queue:q")).isZero();
				assertThat(client.sync().get("resque:stat:failed")).isEqualTo("1");
				// Never retried, although the job has retries.
				assertThat(client.sync().zcard("resque:delayed_queue_schedule")).isZero();
				push("Cancel::Record", "\"next\"");
				await().atMost(WAIT).until(() -> jobs.runs.contains("next"));
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1);
			}
		}));
	}

	@Test
	void aCancelOfAnIdleOrUnknownWorkerFailsWithTheReasonAndStoresNothing() {
		pool().run((pool) -> web().run((web) -> {
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(pool.getBean(ResquePool.class).status().workers())
					.allSatisfy((w) -> assertThat(w.state()).isEqualTo(WorkerState.IDLE))
					.isNotEmpty());
			String idle = pool.getBean(ResquePool.class).status().workers().get(0).id();
			assertThat(fleet.cancel(idle, null, null, "alice").pools()).singleElement().satisfies((ack) -> {
				assertThat(ack.status()).isEqualTo("failed");
				assertThat(ack.message()).contains("idle");
			});
			assertThat(fleet.cancel("nohost:1-1:q", null, null, "alice").pools()).singleElement().satisfies((ack) -> {
				assertThat(ack.status()).isEqualTo("failed");
				assertThat(ack.message()).contains("no such worker");
			});
			assertThat(fleet.cancel(null, "3b8f1c2e-0000-4000-8000-000000000000", null, "alice").pools())
				.singleElement()
				.satisfies((ack) -> assertThat(ack.message()).contains("no worker runs a job with job_id"));
			assertThatIllegalArgumentException().isThrownBy(() -> fleet.cancel(null, null, null, "alice"))
				.withMessageContaining("either a worker or a jobId");
			assertThatIllegalArgumentException().isThrownBy(() -> fleet.cancel(idle, "x", null, "alice"))
				.withMessageContaining("either a worker or a jobId");
			assertThatIllegalArgumentException().isThrownBy(() -> fleet.cancel("a\nb", null, null, "alice"))
				.withMessageContaining("control characters");
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().keys("resque:resquepool:cancel:*")).isEmpty();
				assertThat(client.sync().get("resque:resquepool:fleet:version")).isNull();
			}
		}));
	}

	@Test
	void aCancelByActiveJobIdFindsTheWorkerThatRunsIt() {
		pool().run((pool) -> web().run((web) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			String jobId = "5e0c7a3e-1a2b-4c5d-8e9f-0123456789ab";
			try (StatefulRedisConnection<String, String> client = client()) {
				client.sync().sadd("resque:queues", "q");
				client.sync()
					.rpush("resque:queue:q",
							"{\"class\":\"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper\",\"args\":[{"
									+ "\"job_class\":\"CancelMe\",\"job_id\":\"" + jobId
									+ "\",\"provider_job_id\":null,"
									+ "\"queue_name\":\"q\",\"priority\":null,\"arguments\":[\"b\"],\"executions\":0,"
									+ "\"exception_executions\":{},\"locale\":\"en\",\"timezone\":\"UTC\","
									+ "\"enqueued_at\":\"2026-12-07T10:00:00.000000000Z\",\"scheduled_at\":null}]}");
			}
			await().atMost(WAIT).until(() -> jobs.started.contains("b"));
			FleetResult result = web.getBean(ResqueFleet.class).cancel(null, jobId, Duration.ofSeconds(10), "bob");
			assertThat(result.scope()).isEqualTo("job " + jobId);
			assertThat(result.pools()).singleElement()
				.satisfies((ack) -> assertThat(ack.status()).as(ack.message()).isEqualTo("applied"));
			assertThat(jobs.interrupted).containsExactly("b");
		}));
	}

	@Test
	void aCancelThatReachesThePoolAfterItsJobEndedLeavesTheWorkersNextJobAlone() {
		pool().run((pool) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			push("Cancel::Wait", "\"first\"");
			await().atMost(WAIT).until(() -> jobs.started.contains("first"));
			String worker = busyWorker(pool);
			try (StatefulRedisConnection<String, String> client = client()) {
				String first = sha1(client.sync().get("resque:worker:" + worker));
				// The request names the first job; the pool does not see it yet (no new
				// fleet version).
				client.sync().set("resque:resquepool:cancel:" + worker, request(1, first, poolId(pool), "requested"));
				jobs.gate("first").countDown();
				push("Cancel::Wait", "\"second\"");
				await().atMost(WAIT).until(() -> jobs.started.contains("second"));
				String second = sha1(client.sync().get("resque:worker:" + worker));
				assertThat(second).isNotEqualTo(first);
				bumpVersion(client);
				// The pool read the request (it marks the ones it applies) and left the
				// second job alone: the fleet answers that the job ended first.
				awaitVersionApplied(pool, client);
				assertThat(CancelRequest.parse(client.sync().get("resque:resquepool:cancel:" + worker)).state())
					.isEqualTo("requested");
				assertThat(jobs.interrupted).isEmpty();
				// The same request naming the running job does cancel it.
				client.sync().set("resque:resquepool:cancel:" + worker, request(2, second, poolId(pool), "requested"));
				bumpVersion(client);
				await().atMost(WAIT).until(() -> jobs.interrupted.contains("second"));
				jobs.gate("second").countDown();
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(client.sync().lindex("resque:failed", 0))
						.contains("ResquePool::JobCancelled"));
				assertThat(jobs.runs).containsExactly("first");
			}
		});
	}

	@Test
	void aJobThatIgnoresItsCancelPastTheGraceIsHandledAsStuck() {
		pool("resque.pool.cancel-grace=300ms").run((pool) -> web().run((web) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			push("Cancel::Stubborn", "\"c\"");
			await().atMost(WAIT).until(() -> jobs.started.contains("c"));
			String worker = busyWorker(pool);
			FleetResult result = web.getBean(ResqueFleet.class).cancel(worker, null, Duration.ofSeconds(10), "carol");
			assertThat(result.pools()).singleElement()
				.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied"));
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().lindex("resque:failed", 0)).contains("ResquePool::JobCancelled");
				assertThat(client.sync().llen("resque:failed")).isEqualTo(1);
				push("Cancel::Record", "\"after\"");
				await().atMost(WAIT).until(() -> jobs.runs.contains("after"));
			}
			assertThat(pool.getBean(ResquePool.class).status().workers())
				.anySatisfy((w) -> assertThat(w.state()).isEqualTo(WorkerState.STUCK));
			jobs.release();
		}));
	}

	@Test
	void aCancelledCheckpointingJobKeepsItsCursorAndARetryResumesThere() {
		pool().run((pool) -> web().run((web) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			push("Cancel::Rows", "\"d\"");
			await().atMost(WAIT).until(() -> jobs.rows.size() >= 5);
			String worker = busyWorker(pool);
			web.getBean(ResqueFleet.class).cancel(worker, null, Duration.ofSeconds(10), "dave");
			int done = jobs.rows.size();
			assertThat(done).isLessThan(1000);
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().lindex("resque:failed", 0)).contains("ResquePool::JobCancelled");
			}
			pool.getBean(ResqueFailures.class).retry(0);
			await().atMost(WAIT).until(() -> jobs.finished.contains("d"));
			assertThat(jobs.rowStarts).containsExactly(0L, (long) done);
			assertThat(jobs.rows).hasSize(1000).doesNotHaveDuplicates();
		}));
	}

	@Test
	void aCancelAskedWhileRedisIsDownAnswers503AndAppliesWhenAskedAgainAfterRedisIsBack(@TempDir Path dir) {
		this.redis.stop();
		this.redis = EmbeddedRedisServer.start(0,
				List.of("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
		pool().run((pool) -> web("resque.pool.command-timeout=500ms").run((web) -> {
			Jobs jobs = pool.getBean(Jobs.class);
			push("Cancel::Rows", "\"e\"");
			await().atMost(WAIT).until(() -> jobs.rows.size() >= 5);
			String worker = busyWorker(pool);
			ResqueFleet fleet = web.getBean(ResqueFleet.class);
			ResqueFleetEndpointWebExtension http = new ResqueFleetEndpointWebExtension(new ResqueFleetEndpoint(fleet));
			this.redis.stop();
			WebEndpointResponse<Object> down = http.command(null, "cancel", null, null, null, null, worker, null, null,
					null, null, "1s");
			assertThat(down.getStatus()).isEqualTo(503);
			assertThat(down.getBody()).asString()
				.contains("Redis did not answer")
				.contains("may or may not have been stored");
			// The job waits at its checkpoint while Redis is away, and is not cancelled.
			int rowsWhileDown = jobs.rows.size();
			assertThat(jobs.rows).hasSizeLessThan(1000);
			this.redis.restart();
			await().atMost(WAIT).until(() -> jobs.rows.size() > rowsWhileDown);
			assertThat(jobs.interrupted).isEmpty();
			// The same cancel, asked again, applies.
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(fleet.cancel(worker, null, Duration.ofSeconds(5), "erin").pools())
					.singleElement()
					.satisfies((ack) -> assertThat(ack.status()).isEqualTo("applied")));
			assertThat(jobs.finished).isEmpty();
			assertThat(jobs.rows).hasSizeLessThan(1000).doesNotHaveDuplicates();
			try (StatefulRedisConnection<String, String> client = client()) {
				assertThat(client.sync().lrange("resque:failed", 0, -1)).singleElement()
					.asString()
					.contains("ResquePool::JobCancelled")
					.contains("Cancelled by erin");
				assertThat(client.sync().llen("resque:queue:q")).isZero();
			}
		}));
	}

	private static String request(long seq, String sha, String pool, String state) {
		return "{\"seq\":" + seq + ",\"sha\":\"" + sha + "\",\"pool\":\"" + pool
				+ "\",\"by\":\"eve\",\"at\":\"2026-12-07T10:00:00Z\",\"state\":\"" + state + "\"}";
	}

	private static void bumpVersion(StatefulRedisConnection<String, String> client) {
		long version = client.sync().incr("resque:resquepool:fleet:version");
		client.sync().publish("resque:resquepool:fleet", Long.toString(version));
	}

	private static void awaitVersionApplied(AssertableApplicationContext pool,
			StatefulRedisConnection<String, String> client) {
		long version = Long.parseLong(client.sync().get("resque:resquepool:fleet:version"));
		await().atMost(WAIT).until(() -> {
			Long applied = PoolInfo.parse(client.sync().hget("resque:resquepool:pool:" + poolId(pool), "info"))
				.fleet()
				.version();
			return applied != null && applied >= version;
		});
	}

	private static String busyWorker(AssertableApplicationContext pool) {
		return pool.getBean(ResquePool.class)
			.status()
			.workers()
			.stream()
			.filter((w) -> w.state() == WorkerState.WORKING)
			.map(PoolStatus.WorkerInfo::id)
			.findFirst()
			.orElseThrow();
	}

	private static String poolId(AssertableApplicationContext pool) {
		return pool.getBean(ResquePool.class).status().poolId();
	}

	private ApplicationContextRunner pool(String... settings) {
		return base()
			.withPropertyValues("resque.pool.hostname=p", "resque.pool.groups.work.queues=q",
					"resque.pool.groups.work.count=1")
			.withPropertyValues(settings)
			.withBean(Jobs.class);
	}

	private ApplicationContextRunner web(String... settings) {
		return base().withPropertyValues("resque.pool.enabled=false", "resque.pool.hostname=web")
			.withPropertyValues(settings);
	}

	private ApplicationContextRunner base() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "resque.pool.poll-interval=100ms",
					"resque.pool.shutdown-timeout=1s", "resque.pool.recovery-timeout=6s");
	}

	private void push(String className, String args) {
		try (StatefulRedisConnection<String, String> client = client()) {
			client.sync().sadd("resque:queues", "q");
			client.sync().rpush("resque:queue:q", "{\"class\":\"" + className + "\",\"args\":[" + args + "]}");
		}
	}

	private StatefulRedisConnection<String, String> client() {
		return RedisConnections.open(this.redis.host(), this.redis.port());
	}

	private static String sha1(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Jobs {

		final Queue<String> runs = new ConcurrentLinkedQueue<>();

		final Queue<String> started = new ConcurrentLinkedQueue<>();

		final Queue<String> interrupted = new ConcurrentLinkedQueue<>();

		final Queue<Long> rows = new ConcurrentLinkedQueue<>();

		final Queue<Long> rowStarts = new ConcurrentLinkedQueue<>();

		final Queue<String> finished = new ConcurrentLinkedQueue<>();

		private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

		private volatile boolean released;

		CountDownLatch gate(String key) {
			return this.gates.computeIfAbsent(key, (k) -> new CountDownLatch(1));
		}

		void release() {
			this.released = true;
		}

		@ResqueJob(value = "Cancel::Sleep", maxRetries = 3)
		void sleep(String id) throws InterruptedException {
			this.started.add(id);
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				this.interrupted.add(id);
				throw ex;
			}
			this.runs.add(id);
		}

		@ResqueJob("CancelMe")
		void activeJob(String id) throws InterruptedException {
			sleep(id);
		}

		@ResqueJob("Cancel::Wait")
		void await(String id) {
			this.started.add(id);
			try {
				if (!gate(id).await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("never released");
				}
			}
			catch (InterruptedException ex) {
				this.interrupted.add(id);
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			this.runs.add(id);
		}

		@ResqueJob("Cancel::Record")
		void record(String id) {
			this.runs.add(id);
		}

		@ResqueJob("Cancel::Stubborn")
		void stubborn(String id) {
			this.started.add(id);
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (System.nanoTime() < end && !this.released) {
				Thread.onSpinWait();
			}
		}

		@ResqueJob("Cancel::Rows")
		void rows(String id, JobContext context) throws InterruptedException {
			long next = context.cursor(Long.class).orElse(0L);
			this.rowStarts.add(next);
			while (next < 1000) {
				Thread.sleep(5);
				this.rows.add(next++);
				context.checkpoint(next);
			}
			this.finished.add(id);
		}

	}

}
