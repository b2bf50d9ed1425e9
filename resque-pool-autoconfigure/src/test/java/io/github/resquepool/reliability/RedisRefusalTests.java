package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ApplicationListener;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.pool.ResquePoolEvent;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis refusing or dropping work while jobs flow: replies lost to {@code CLIENT PAUSE}
 * longer than the command timeout, a primary demoted to a replica ({@code READONLY}),
 * memory exhausted under {@code noeviction} ({@code OOM}), and an outage longer than
 * {@code prune-interval}. Each is an outage to wait out: no worker may die of it, and
 * every job is accounted for exactly once. Also the jobs that throw what used to kill a
 * worker ({@code AssertionError}), and timeouts that race a job's end. Each test runs on
 * a private embedded Redis.
 */
@Timeout(120)
class RedisRefusalTests {

	private final List<EmbeddedRedisServer> servers = new ArrayList<>();

	@AfterEach
	void stopServers() {
		this.servers.forEach(EmbeddedRedisServer::stop);
	}

	@Test
	void repliesDroppedByAPauseLongerThanTheCommandTimeoutRecordEachOutcomeExactlyOnce() {
		EmbeddedRedisServer server = start();
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			String id = String.format("d%03d", i);
			payloads.add((i % 3 == 0) ? RelJobs.payload(RelJobs.FAIL, id) : RelJobs.payload(id, 5));
		}
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=4",
				"resque.pool.command-timeout=150ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, payloads);
					// Pauses longer than the command timeout: the answers to the turns
					// sent meanwhile
					// arrive after the pool gave up on them, and the pool sends those
					// turns again.
					for (int round = 0; round < 6
							&& Rel.list(client, RelJobs.STARTED).size() < payloads.size(); round++) {
						ChildPool.sleep(120);
						client.sync().clientPause(400);
						ChildPool.sleep(450);
					}
					Rel.await(Duration.ofSeconds(60), () -> processed(client) == payloads.size(),
							() -> "all " + payloads.size() + " jobs recorded: processed=" + processed(client));
					ChildPool.sleep(500);
					assertThat(Rel.counts(Rel.list(client, RelJobs.STARTED)).values()).as("each job ran once")
						.hasSize(payloads.size())
						.allMatch((n) -> n == 1);
					assertThat(client.sync().get("resque:stat:processed")).isEqualTo("120");
					assertThat(client.sync().get("resque:stat:failed")).isEqualTo("40");
					List<String> failed = Rel.list(client, "resque:failed");
					assertThat(failed).hasSize(40);
					assertThat(failed.stream().map(Rel::id).distinct()).hasSize(40);
					assertThat(context.getBean(CrashCounter.class).crashes).hasValue(0);
				}
			});
	}

	@Test
	void aRedisLoadingItsDataSetAfterARestartIsAnOutageAndNoWorkerIsLost() {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().persistence().start();
		this.servers.add(server);
		server.fill(20_000, 100);
		List<String> payloads = Rel.slowJobs("l", 10, 10);
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=2",
				"resque.pool.command-timeout=500ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				ResqueRedis redis = context.getBean(ResqueRedis.class);
				pool.pause();
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, payloads);
				}
				// About 2 s of LOADING: 20,000 keys at 100 microseconds each.
				server.restartWithSlowLoading(100);
				pool.resume();
				Rel.await(Duration.ofSeconds(20), () -> !redis.connectivity().isUp(),
						() -> "the pool sees the restart as an outage");
				server.awaitLoaded(Duration.ofSeconds(60));
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.await(Duration.ofSeconds(30), () -> Rel.list(client, RelJobs.DONE).size() >= payloads.size(),
							() -> "every job done once loaded: " + Rel.list(client, RelJobs.DONE));
					assertThat(Rel.counts(Rel.list(client, RelJobs.DONE)).values()).hasSize(payloads.size())
						.allMatch((n) -> n == 1);
				}
				assertNoCrash(context.getBean(CrashCounter.class), pool);
			});
	}

	@Test
	void aFrozenRedisIsAnOutageThatHealsOnceItAnswersAgain() {
		EmbeddedRedisServer server = start();
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=2",
				"resque.pool.command-timeout=300ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				ResqueRedis redis = context.getBean(ResqueRedis.class);
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, Rel.slowJobs("before", 2, 10));
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).size() == 2,
							() -> "2 jobs done before the freeze");
				}
				// A hanging Redis, not a stopped one: the connection stays open and
				// nothing answers.
				server.freeze();
				Rel.await(Duration.ofSeconds(20), () -> !redis.connectivity().isUp(),
						() -> "the pool sees the hanging Redis as an outage");
				ChildPool.sleep(1500);
				server.thaw();
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, Rel.slowJobs("after", 3, 10));
					Rel.await(Duration.ofSeconds(30), () -> Rel.list(client, RelJobs.DONE).size() == 5,
							() -> "3 more jobs done after the thaw: " + Rel.list(client, RelJobs.DONE));
				}
				Rel.await(Duration.ofSeconds(10), () -> redis.connectivity().isUp(), () -> "health up again");
				assertNoCrash(context.getBean(CrashCounter.class), pool);
			});
	}

	@Test
	void aPrimaryDemotedToAReplicaIsAnOutageAndProcessingResumesOncePromoted() {
		EmbeddedRedisServer server = start();
		EmbeddedRedisServer other = start();
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=2",
				"resque.pool.command-timeout=500ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				ResqueRedis redis = context.getBean(ResqueRedis.class);
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, Rel.slowJobs("before", 3, 10));
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).size() == 3,
							() -> "3 jobs done before the demotion");
					client.sync().replicaof(other.host(), other.port());
					Rel.await(Duration.ofSeconds(20), () -> !redis.connectivity().isUp(),
							() -> "the pool sees the READONLY refusals as an outage");
					assertThat(redis.connectivity().lastError()).contains("READONLY");
					ChildPool.sleep(1500);
					client.sync().replicaofNoOne();
					Rel.push(client, Rel.slowJobs("after", 3, 10));
					Rel.await(Duration.ofSeconds(30), () -> Rel.list(client, RelJobs.DONE).size() == 3,
							() -> "3 jobs done after the promotion: " + Rel.list(client, RelJobs.DONE));
					assertNoCrash(context.getBean(CrashCounter.class), pool);
				}
			});
	}

	@Test
	void memoryExhaustedUnderNoevictionIsAnOutageAndNoJobIsLost() {
		EmbeddedRedisServer server = start();
		List<String> payloads = Rel.slowJobs("m", 30, 20);
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=2",
				"resque.pool.command-timeout=500ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				ResqueRedis redis = context.getBean(ResqueRedis.class);
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, payloads);
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).size() >= 3,
							() -> "3 jobs done before memory runs out");
					client.sync().configSet("maxmemory-policy", "noeviction");
					client.sync().configSet("maxmemory", "1");
					Rel.await(Duration.ofSeconds(20), () -> !redis.connectivity().isUp(),
							() -> "the pool sees the OOM refusals as an outage");
					assertThat(redis.connectivity().lastError()).contains("OOM");
					ChildPool.sleep(1500);
					client.sync().configSet("maxmemory", "0");
					Rel.await(Duration.ofSeconds(30), () -> Rel.list(client, RelJobs.DONE).size() >= payloads.size(),
							() -> "every job done once memory is back: " + Rel.list(client, RelJobs.DONE).size());
					ChildPool.sleep(300);
					assertThat(Rel.counts(Rel.list(client, RelJobs.DONE)).values()).hasSize(payloads.size())
						.allMatch((n) -> n == 1);
					assertThat(client.sync().get("resque:stat:processed")).isEqualTo(String.valueOf(payloads.size()));
					assertNoCrash(context.getBean(CrashCounter.class), pool);
				}
			});
	}

	@Test
	void anOutageLongerThanThePruneIntervalTurnsNoLiveJobIntoAFailure() {
		EmbeddedRedisServer server = start();
		List<String> payloads = Rel.slowJobs("long", 3, 6000);
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=3",
				"resque.pool.heartbeat-interval=1s", "resque.pool.prune-interval=2s", "resque.pool.recovery-timeout=3s",
				"resque.pool.command-timeout=500ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, payloads);
					Rel.await(Duration.ofSeconds(10), () -> Rel.inFlight(client).size() == 3,
							() -> "3 long jobs in flight: " + Rel.inFlight(client));
					// Nobody can write a heartbeat for longer than prune-interval.
					client.sync().clientPause(4000);
					Rel.await(Duration.ofSeconds(30), () -> Rel.list(client, RelJobs.DONE).size() == 3,
							() -> "the long jobs finish: " + Rel.list(client, RelJobs.DONE));
					ChildPool.sleep(2500);
					assertThat(Rel.list(client, "resque:failed")).as("no live job became a failure").isEmpty();
					assertThat(Rel.counts(Rel.list(client, RelJobs.STARTED)).values()).hasSize(3)
						.allMatch((n) -> n == 1);
					assertThat(client.sync().get("resque:stat:processed")).isEqualTo("3");
					assertThat(client.sync().smembers("resque:workers")).hasSize(3);
				}
			});
	}

	@Test
	void aJobThatThrowsAnAssertionErrorIsAFailureEntryAndItsWorkerGoesOn() {
		EmbeddedRedisServer server = start();
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=1")
			.withBean(CrashCounter.class)
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				String worker = pool.status().workers().get(0).id();
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, List.of(RelJobs.payload(RelJobs.ASSERTION, "a1"), RelJobs.payload("after", 1)));
					Rel.await(Duration.ofSeconds(10), () -> Rel.list(client, RelJobs.DONE).contains("after"),
							() -> "the next job runs");
					List<String> failed = Rel.list(client, "resque:failed");
					assertThat(failed).singleElement()
						.satisfies((entry) -> assertThat(entry).contains("\"exception\":\"java.lang.AssertionError\"")
							.contains("job a1 breaks an assertion"));
					assertThat(Rel.list(client, RelJobs.RUNS)).containsExactly("a1 " + worker, "after " + worker);
					assertNoCrash(context.getBean(CrashCounter.class), pool);
				}
			});
	}

	@Test
	void aTimeoutNeverInterruptsTheJobAfterTheOneThatTimedOut() {
		EmbeddedRedisServer server = start();
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			// Slow jobs end around the moment the watchdog (every 500 ms) finds them
			// overdue; each
			// is followed by quick ones that must never pay for it.
			payloads.add(RelJobs.payload(String.format("slow%02d", i), 420 + (i % 8) * 20));
			payloads.add(RelJobs.payload(String.format("quick%02da", i), 0));
			payloads.add(RelJobs.payload(String.format("quick%02db", i), 0));
		}
		Rel.inProcessPool(server.host(), server.port(), "resque.pool.groups.g.count=4", "resque.pool.job-timeout=400ms")
			.withBean(CrashCounter.class)
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = client(server)) {
					Rel.push(client, payloads);
					Rel.await(Duration.ofSeconds(60), () -> processed(client) == payloads.size(),
							() -> "every job recorded: " + processed(client));
					List<String> failed = Rel.list(client, "resque:failed");
					assertThat(failed).allSatisfy((entry) -> assertThat(Rel.id(entry)).startsWith("slow"));
					assertThat(failed).allSatisfy(
							(entry) -> assertThat(entry).contains("io.github.resquepool.worker.JobTimeoutException"));
					Map<String, Long> done = Rel.counts(Rel.list(client, RelJobs.DONE));
					for (String payload : payloads) {
						String id = Rel.id(payload);
						if (id.startsWith("quick")) {
							assertThat(done).as("quick job %s finished", id).containsEntry(id, 1L);
						}
					}
					assertThat(context.getBean(CrashCounter.class).crashes).hasValue(0);
				}
			});
	}

	private static long processed(StatefulRedisConnection<String, String> client) {
		String value = client.sync().get("resque:stat:processed");
		return (value != null) ? Long.parseLong(value) : 0;
	}

	private static void assertNoCrash(CrashCounter counter, ResquePool pool) {
		assertThat(counter.crashes).as("workers that crashed").hasValue(0);
		for (PoolStatus.Group group : pool.status().groups()) {
			assertThat(group.crashes()).as("crashes of group %s", group.name()).isZero();
			assertThat(group.live()).as("live workers of group %s", group.name()).isEqualTo(group.count());
		}
	}

	private EmbeddedRedisServer start() {
		EmbeddedRedisServer server = EmbeddedRedisServer.start(0, List.of());
		this.servers.add(server);
		return server;
	}

	private static StatefulRedisConnection<String, String> client(EmbeddedRedisServer server) {
		return RedisConnections.open(server.host(), server.port(), Duration.ofSeconds(10));
	}

	/** Counts the pool's crashed workers. */
	static class CrashCounter implements ApplicationListener<ResquePoolEvent.WorkerCrashed> {

		final AtomicInteger crashes = new AtomicInteger();

		@Override
		public void onApplicationEvent(ResquePoolEvent.WorkerCrashed event) {
			this.crashes.incrementAndGet();
		}

	}

}
