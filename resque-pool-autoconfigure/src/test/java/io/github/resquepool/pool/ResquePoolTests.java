package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.worker.WorkerState;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.list;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(RedisExtension.class)
class ResquePoolTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner;

	ResquePoolTests(TestRedis redis) {
		this.runner = PoolTestSupport.runner(redis);
	}

	@Test
	void stopRequeuesACutOffJobAtTheHeadOfItsQueueAndUnregisters(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.shutdown-timeout=300ms")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"a\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("a"));
					push(client, "q", "Test::Record", "\"next\"");
					context.close();
					assertThat(jobs.interrupted).containsExactly("a");
					assertThat(list(client, "resque:queue:q")).containsExactly(
							"{\"class\":\"Test::Block\",\"args\":[\"a\"]}",
							"{\"class\":\"Test::Record\",\"args\":[\"next\"]}");
					assertThat(client.sync().smembers("resque:workers")).isEmpty();
					assertThat(client.sync().keys("resque:worker:*")).isEmpty();
					assertThat(client.sync().hlen("resque:workers:heartbeat")).isEqualTo(0L);
					assertThat(client.sync().llen("resque:failed")).isEqualTo(0L);
					assertThat(client.sync().get("resque:stat:processed")).isNull();
				}
			});
	}

	@Test
	void stopRecordsDirtyExitInsteadWhenRecoveryModeIsFail(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.shutdown-timeout=200ms", "resque.pool.recovery-mode=fail")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"a\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("a"));
					context.close();
					assertThat(client.sync().llen("resque:queue:q")).isEqualTo(0L);
					String failure = (String) client.sync().lindex("resque:failed", 0);
					assertThat(failure).contains("\"exception\":\"Resque::DirtyExit\"")
						.contains("\"payload\":{\"class\":\"Test::Block\",\"args\":[\"a\"]}")
						.contains("\"queue\":\"q\"");
				}
			});
	}

	@Test
	void stopWaitsForRunningJobsWithinTheTimeout(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.shutdown-timeout=5s")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"a\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("a"));
					new Thread(() -> {
						sleep(300);
						jobs.open("a");
					}).start();
					context.close();
					assertThat(jobs.runs).containsExactly("Block:a");
					assertThat(jobs.interrupted).isEmpty();
					assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1");
					assertThat(client.sync().llen("resque:queue:q")).isEqualTo(0L);
				}
			});
	}

	@Test
	void poolCanBeStoppedAndStartedAgain(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					pool.stop();
					assertThat(pool.isRunning()).isFalse();
					assertThat(client.sync().smembers("resque:workers")).isEmpty();
					pool.start();
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).hasSize(2));
					push(client, "q", "Test::Record", "\"again\"");
					eventually(WAIT,
							() -> assertThat(context.getBean(TestJobs.class).runs).containsExactly("Record:again"));
				}
			});
	}

	@Test
	void scaleDownLetsTheLeavingWorkerFinishItsJob(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"x\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("x"));
					assertThat(pool.scale("work", 0)).isEqualTo(2);
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).hasSize(1));
					PoolStatus status = pool.status();
					assertThat(status.groups().get(0).count()).isZero();
					assertThat(status.workers()).singleElement().satisfies((worker) -> {
						assertThat(worker.state()).isEqualTo(WorkerState.STOPPING);
						assertThat(worker.job().className()).isEqualTo("Test::Block");
					});
					assertThat(jobs.interrupted).isEmpty();
					jobs.open("x");
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).isEmpty());
					assertThat(jobs.runs).containsExactly("Block:x");
					assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1");
					assertThat(pool.status().workers()).isEmpty();
				}
			});
	}

	@Test
	void aWorkerThatRanMaxJobsPerWorkerIsReplacedByAFreshOneAfterItsJob(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.max-jobs-per-worker=2")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					for (int i = 1; i <= 5; i++) {
						push(client, "q", "Test::Record", "\"" + i + "\"");
					}
					eventually(WAIT, () -> assertThat(jobs.runs).hasSize(5));
					// Two jobs per worker thread: 1 and 2, 3 and 4, then 5 on a third.
					assertThat(jobs.workers.get("1")).isEqualTo(jobs.workers.get("2"));
					assertThat(jobs.workers.get("3")).isEqualTo(jobs.workers.get("4"))
						.isNotEqualTo(jobs.workers.get("2"));
					assertThat(jobs.workers.get("5")).isNotEqualTo(jobs.workers.get("4"))
						.isNotEqualTo(jobs.workers.get("2"));
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("5"));
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).hasSize(1));
					assertThat(client.sync().llen("resque:failed")).isZero();
				}
			});
	}

	@Test
	void scaleUpStartsWorkersAndRefusesMoreThanMaxWorkers(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
				"resque.pool.groups.other.queues=r", "resque.pool.groups.other.count=2", "resque.pool.max-workers=6")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					pool.scale("work", 4);
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).hasSize(6));
					assertThatIllegalArgumentException().isThrownBy(() -> pool.scale("work", 5))
						.withMessageContaining("max-workers=6");
					assertThatIllegalArgumentException().isThrownBy(() -> pool.scale("work", -1))
						.withMessageContaining("0 or more");
					assertThatIllegalArgumentException().isThrownBy(() -> pool.scale("nope", 1))
						.withMessageContaining("no worker group 'nope'");
					assertThat(pool.status().groups()).extracting(PoolStatus.Group::count).containsExactly(4, 2);
					assertThat(client.sync().smembers("resque:workers")).hasSize(6);
				}
			});
	}

	@Test
	void pauseFinishesRunningJobsThenTakesNothingUntilResume(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"p\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("p"));
					pool.pause();
					PoolStatus pausing = pool.status();
					assertThat(pausing.requested()).isEqualTo(State.PAUSED);
					assertThat(pausing.state()).isEqualTo(State.PAUSING);
					jobs.open("p");
					eventually(WAIT, () -> assertThat(pool.status().state()).isEqualTo(State.PAUSED));
					push(client, "q", "Test::Record", "\"held\"");
					sleep(500);
					assertThat(jobs.runs).containsExactly("Block:p");
					assertThat(client.sync().llen("resque:queue:q")).isEqualTo(1L);
					pool.resume();
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Block:p", "Record:held"));
					assertThat(pool.status().state()).isEqualTo(State.RUNNING);
				}
			});
	}

	@Test
	void pauseOfOneGroupLeavesTheOthersWorking(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.a.queues=qa", "resque.pool.groups.a.count=1",
					"resque.pool.groups.b.queues=qb", "resque.pool.groups.b.count=1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					pool.pause("a");
					push(client, "qa", "Test::Record", "\"a1\"");
					push(client, "qb", "Test::Record", "\"b1\"");
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Record:b1"));
					sleep(300);
					assertThat(jobs.runs).containsExactly("Record:b1");
					assertThat(pool.status().groups()).extracting(PoolStatus.Group::state)
						.containsExactly(State.PAUSED, State.RUNNING);
					pool.resume("a");
					eventually(WAIT, () -> assertThat(jobs.runs).contains("Record:a1"));
				}
			});
	}

	@Test
	void startsPausedWhenConfigured(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.paused=true")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Record", "\"later\"");
					sleep(400);
					assertThat(pool.status().state()).isEqualTo(State.PAUSED);
					assertThat(client.sync().llen("resque:queue:q")).isEqualTo(1L);
					pool.resume();
					eventually(WAIT,
							() -> assertThat(context.getBean(TestJobs.class).runs).containsExactly("Record:later"));
				}
			});
	}

	@Test
	void startIntervalStartsWorkersOneAtATime(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=3",
					"resque.pool.start-interval=300ms")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					assertThat(client.sync().smembers("resque:workers")).hasSize(1);
					sleep(350);
					assertThat(client.sync().smembers("resque:workers")).hasSize(2);
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).hasSize(3));
				}
			});
	}

	@Test
	void crashedWorkersAreReplacedWithExponentialBackoff(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.restart-backoff=200ms", "resque.pool.max-restart-backoff=800ms")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				List<Long> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
				context.addApplicationListener(
						(org.springframework.context.ApplicationListener<ResquePoolEvent.WorkerCrashed>) (
								event) -> crashes.add(System.nanoTime() / 1_000_000));
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					for (int i = 0; i < 4; i++) {
						push(client, "q", "Test::Crash", "\"c" + i + "\"");
					}
					eventually(WAIT, () -> assertThat(crashes).hasSize(2));
					PoolStatus.Group group = pool.status().groups().get(0);
					assertThat(group.crashes()).isGreaterThanOrEqualTo(2);
					assertThat(group.backoff()).isPositive();
					eventually(WAIT, () -> assertThat(crashes).hasSize(4));
					eventually(WAIT, () -> assertThat(client.sync().llen("resque:failed")).isEqualTo(4L));
					assertThat((String) client.sync().lindex("resque:failed", 0))
						.contains("\"exception\":\"java.lang.OutOfMemoryError\"");
					push(client, "q", "Test::Record", "\"alive\"");
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Record:alive"));
					assertThat(client.sync().smembers("resque:workers")).hasSize(1);
				}
			});
	}

	@Test
	void reloadWithAnInvalidValueChangesNothingAndKeepsTheError(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				ConfigurableEnvironment environment = context.getEnvironment();
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					Set<Object> before = Set.copyOf(client.sync().smembers("resque:workers"));
					Map<String, Object> overrides = new java.util.HashMap<>();
					environment.getPropertySources().addFirst(new MapPropertySource("reload", overrides));
					overrides.put("resque.pool.groups.work.count", "-3");
					ReloadResult refused = pool.reload();
					assertThat(refused.applied()).isFalse();
					assertThat(refused.error()).contains("resque.pool.groups.work.count").contains("0 or more");
					assertThat(pool.status().lastReloadError()).isEqualTo(refused.error());
					assertThat(Set.copyOf(client.sync().smembers("resque:workers"))).isEqualTo(before);
					overrides.put("resque.pool.groups.work.count", "2");
					overrides.put("resque.pool.groups.work.bogus", "1");
					assertThat(pool.reload().applied()).isFalse();
					overrides.remove("resque.pool.groups.work.bogus");
					overrides.put("resque.pool.groups.work.count", "3");
					overrides.put("resque.pool.groups.extra.queues", "x");
					ReloadResult applied = pool.reload();
					assertThat(applied.applied()).isTrue();
					assertThat(applied.changes()).anyMatch((c) -> c.contains("scaled group 'work' from 2 to 3"))
						.anyMatch((c) -> c.contains("added group 'extra'"));
					assertThat(pool.status().lastReloadError()).isNull();
					eventually(WAIT, () -> {
						Set<Object> now = Set.copyOf(client.sync().smembers("resque:workers"));
						assertThat(now).hasSize(4).containsAll(before);
					});
				}
			});
	}

	@Test
	void reloadReplacesAGroupWhoseQueuesChangedAndDrainsRemovedGroups(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.groups.old.queues=o", "resque.pool.groups.old.count=1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"busy\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("busy"));
					Map<String, Object> overrides = new java.util.HashMap<>();
					overrides.put("resque.pool.groups.work.queues", "q2");
					overrides.put("resque.pool.groups.old.count", "0");
					context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("reload", overrides));
					ReloadResult result = pool.reload();
					assertThat(result.applied()).isTrue();
					// At most the new target (1) plus the worker still finishing its job,
					// and the idle one of
					// the removed group is gone.
					eventually(WAIT,
							() -> assertThat(client.sync().smembers("resque:workers")).hasSize(2)
								.anyMatch((id) -> id.toString().endsWith(":q"))
								.anyMatch((id) -> id.toString().endsWith(":q2")));
					sleep(300);
					assertThat(client.sync().smembers("resque:workers")).hasSize(2);
					jobs.open("busy");
					eventually(WAIT, () -> assertThat(client.sync().smembers("resque:workers")).singleElement()
						.satisfies((id) -> assertThat(id.toString()).endsWith(":q2")));
					assertThat(jobs.runs).containsExactly("Block:busy");
				}
			});
	}

	@Test
	void jobPastItsTimeoutIsInterruptedAndRecordedAsFailure(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Slow", "5000");
					eventually(WAIT, () -> assertThat(client.sync().llen("resque:failed")).isEqualTo(1L));
					assertThat((String) client.sync().lindex("resque:failed", 0))
						.contains("\"exception\":\"io.github.resquepool.worker.JobTimeoutException\"")
						.contains("ran longer than its timeout of 200ms");
					assertThat(context.getBean(ResquePool.class).status().workers()).singleElement()
						.satisfies((worker) -> assertThat(worker.timeoutStack()).contains("TestJobs.slow"));
					push(client, "q", "Test::Record", "\"after\"");
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Record:after"));
				}
			});
	}

	@Test
	void theJobTimeoutPropertyInterruptsAHandlerThatDeclaresNoTimeout(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.job-timeout=300ms")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// Test::Block declares no timeout and would wait 30 s for its gate
					push(client, "q", "Test::Block", "\"forever\"");
					eventually(WAIT, () -> assertThat(client.sync().llen("resque:failed")).isEqualTo(1L));
					assertThat(jobs.interrupted).containsExactly("forever");
					assertThat(jobs.runs).isEmpty();
					assertThat((String) client.sync().lindex("resque:failed", 0))
						.contains("\"exception\":\"io.github.resquepool.worker.JobTimeoutException\"")
						.contains("Test::Block ran longer than its timeout of 300ms");
					assertThat(client.sync().get("resque:stat:failed")).isEqualTo("1");
					push(client, "q", "Test::Record", "\"after\"");
					eventually(WAIT, () -> assertThat(jobs.runs).containsExactly("Record:after"));
				}
			});
	}

	@Test
	void aTimeoutDeclaredOnTheHandlerWinsOverTheJobTimeoutProperty(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.job-timeout=1m")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// Test::Slow declares 200ms
					push(client, "q", "Test::Slow", "5000");
					eventually(WAIT, () -> assertThat(client.sync().llen("resque:failed")).isEqualTo(1L));
					assertThat((String) client.sync().lindex("resque:failed", 0))
						.contains("\"exception\":\"io.github.resquepool.worker.JobTimeoutException\"")
						.contains("ran longer than its timeout of 200ms");
				}
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theHostnamePropertyIsTheHostPartOfWorkerIdsAndPoolIdsInRedis(TestRedis redis) {
		long pid = ProcessHandle.current().pid();
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2",
				"resque.pool.groups.mail.queues=m", "resque.pool.groups.mail.count=1", "resque.pool.hostname=worker.1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					List<String> workers = List.copyOf(client.sync().smembers("resque:workers"));
					assertThat(workers).hasSize(3)
						.allSatisfy((id) -> assertThat(id).startsWith("worker.1:" + pid + "-"));
					assertThat(client.sync().hkeys("resque:workers:heartbeat"))
						.containsExactlyInAnyOrderElementsOf(workers);
					String poolId = pool.status().poolId();
					assertThat(poolId).startsWith("worker.1:" + pid + ":");
					assertThat(client.sync().zrange("resque:resquepool:pools", 0, -1)).containsExactly(poolId);
					assertThat((String) client.sync().hget("resque:resquepool:pool:" + poolId, "info"))
						.contains("\"host\":\"worker.1\"");
					assertThat(List.copyOf(client.sync().smembers("resque:resquepool:pool:" + poolId + ":workers")))
						.containsExactlyInAnyOrderElementsOf(workers);
					push(client, "q", "Test::Record", "\"named\"");
					eventually(WAIT, () -> assertThat(context.getBean(TestJobs.class).workers.get("named")).isNotNull()
						.startsWith("worker.1:" + pid + "-"));
				}
			});
	}

	@Test
	void workerCallbacksFollowRubysWorkerHooks(TestRedis redis) {
		List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
		PoolListener listener = new PoolListener() {
			@Override
			public void workerStarted(String group, String workerId) {
				calls.add("started " + group);
			}

			@Override
			public void workerPaused(String group, String workerId) {
				calls.add("paused " + group);
			}

			@Override
			public void workerResumed(String group, String workerId) {
				calls.add("resumed " + group);
			}

			@Override
			public void workerExited(String group, String workerId, Throwable crash) {
				calls.add("exited " + group + ((crash != null) ? " crashed" : ""));
			}
		};
		this.runner.withBean(PoolListener.class, () -> listener)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				eventually(WAIT, () -> assertThat(calls).containsExactly("started work"));
				pool.pause();
				eventually(WAIT, () -> assertThat(calls).containsExactly("started work", "paused work"));
				pool.resume();
				eventually(WAIT,
						() -> assertThat(calls).containsExactly("started work", "paused work", "resumed work"));
				context.close();
				assertThat(calls).containsExactly("started work", "paused work", "resumed work", "exited work");
			});
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
