package io.github.resquepool.pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.worker.WorkerState;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.list;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs that checkpoint: they stop at their next checkpoint when the pool stops or when
 * they run past {@code max-run-time}, go back to their queue as they were taken, and
 * resume from their cursor.
 */
@ExtendWith(RedisExtension.class)
class CheckpointTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String ROWS = "{\"class\":\"Imports::Rows\",\"args\":[\"a.csv\",400]}";

	private final ApplicationContextRunner runner;

	CheckpointTests(TestRedis redis) {
		this.runner = PoolTestSupport.runner(redis).withBean(LongJobs.class).withBean(FailureHooks.class);
	}

	@Test
	void aStopEndsACheckpointingJobAtItsNextCheckpointAndItResumesThereAfterARestart(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().sadd("resque:queues", "q");
			client.sync().rpush("resque:queue:q", ROWS);
			push(client, "q", "Test::Record", "\"next\"");
			List<Long> firstRun = new CopyOnWriteArrayList<>();
			this.runner
				.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
						"resque.pool.shutdown-timeout=25s")
				.run((context) -> {
					LongJobs jobs = context.getBean(LongJobs.class);
					FailureHooks hooks = context.getBean(FailureHooks.class);
					eventually(WAIT, () -> assertThat(jobs.rows).hasSizeGreaterThan(20));
					long started = System.nanoTime();
					context.close();
					// The job ended at its next checkpoint, not after the 25 s timeout.
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
					firstRun.addAll(jobs.rows);
					assertThat(jobs.finished).isEmpty();
					// Stopping at a checkpoint is no failure: no on-failure hook ran.
					assertThat(hooks.failed).isEmpty();
				});
			assertThat(list(client, "resque:queue:q")).containsExactly(ROWS,
					"{\"class\":\"Test::Record\",\"args\":[\"next\"]}");
			Map<String, String> checkpoint = client.sync().hgetall(checkpointKey(client));
			assertThat(checkpoint).containsEntry("cursor", String.valueOf(firstRun.size()));
			assertThat(client.sync().get("resque:stat:processed")).isNull();
			assertThat(client.sync().llen("resque:failed")).isZero();
			this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
				.run((context) -> {
					LongJobs jobs = context.getBean(LongJobs.class);
					eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("a.csv"));
					assertThat(jobs.starts).containsExactly((long) firstRun.size());
					List<Long> all = new ArrayList<>(firstRun);
					all.addAll(jobs.rows);
					assertThat(all).hasSize(400).doesNotHaveDuplicates();
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("2"));
					assertThat(client.sync().keys("resque:resquepool:checkpoint:*")).isEmpty();
				});
		}
	}

	@Test
	void aCheckpointWaitsOutARedisThatStopsAnsweringAndTheJobGoesOnOnce(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.command-timeout=500ms")
			.run((context) -> {
				LongJobs jobs = context.getBean(LongJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					client.sync().sadd("resque:queues", "q");
					client.sync().rpush("resque:queue:q", ROWS);
					eventually(WAIT, () -> assertThat(jobs.rows).hasSizeGreaterThan(20));
					// Three command timeouts without an answer: checkpoints fail and are
					// tried again until Redis answers.
					client.sync().clientPause(1500);
					int atPause = jobs.rows.size();
					eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("a.csv"));
					assertThat(jobs.rows).hasSize(400).doesNotHaveDuplicates();
					assertThat(jobs.starts).containsExactly(0L);
					assertThat(atPause).isLessThan(400);
					// The pause did stall a checkpoint: one gap between rows is over a
					// second.
					long longestGap = 0;
					for (int i = 1; i < jobs.rowNanos.size(); i++) {
						longestGap = Math.max(longestGap, jobs.rowNanos.get(i) - jobs.rowNanos.get(i - 1));
					}
					assertThat(Duration.ofNanos(longestGap)).isGreaterThan(Duration.ofSeconds(1));
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
					assertThat(client.sync().llen("resque:failed")).isZero();
					assertThat(client.sync().keys("resque:resquepool:checkpoint:*")).isEmpty();
				}
			});
	}

	@Test
	void aJobPastMaxRunTimeGoesBackToTheTailOfItsQueueAndOthersRunMeanwhile(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.max-run-time=300ms")
			.run((context) -> {
				LongJobs jobs = context.getBean(LongJobs.class);
				TestJobs others = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					client.sync().sadd("resque:queues", "q");
					client.sync().rpush("resque:queue:q", ROWS);
					push(client, "q", "Test::Record", "\"other\"");
					eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("a.csv"));
					assertThat(others.runs).containsExactly("Record:other");
					// Cut at least once, and the other job ran before the long one ended.
					assertThat(jobs.starts).hasSizeGreaterThan(1).startsWith(0L);
					assertThat(jobs.rows).hasSize(400).doesNotHaveDuplicates();
					assertThat(jobs.recordSeenAt).isBetween(1, 399);
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("2"));
					assertThat(client.sync().llen("resque:failed")).isZero();
				}
			});
	}

	@Test
	void aJobThatNeverCheckpointsIsNotCutByMaxRunTime(TestRedis redis) {
		this.runner
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.max-run-time=100ms")
			.run((context) -> {
				TestJobs jobs = context.getBean(TestJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					push(client, "q", "Test::Block", "\"a\"");
					eventually(WAIT, () -> assertThat(jobs.started).containsExactly("a"));
					ResquePool pool = context.getBean(ResquePool.class);
					// Well past max-run-time, the job still runs on its worker.
					eventually(WAIT,
							() -> assertThat(pool.status().workers()).singleElement()
								.satisfies((worker) -> assertThat(worker.job().runningFor())
									.isGreaterThan(Duration.ofMillis(500))));
					assertThat(pool.status().workers().get(0).state()).isEqualTo(WorkerState.WORKING);
					jobs.open("a");
					eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
					assertThat(jobs.runs).containsExactly("Block:a");
				}
			});
	}

	@Test
	void theStatusShowsTheCursorAndTheProgressOfARunningJob(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				LongJobs jobs = context.getBean(LongJobs.class);
				ResquePool pool = context.getBean(ResquePool.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					client.sync().sadd("resque:queues", "q");
					client.sync().rpush("resque:queue:q", "{\"class\":\"Imports::Records\",\"args\":[\"b.csv\"]}");
					eventually(WAIT, () -> assertThat(pool.status().workers()).singleElement().satisfies((worker) -> {
						assertThat(worker.job()).isNotNull();
						assertThat(worker.job().progress()).isNotNull();
						assertThat(worker.job().cursor()).isEqualTo("{\"file\":\"b.csv\",\"line\":3}");
						assertThat(worker.job().cursorSavedAt()).isNotNull();
						assertThat(worker.job().progress().done()).isEqualTo(3);
						assertThat(worker.job().progress().total()).isEqualTo(10);
					}));
					String key = "resque:resquepool:checkpoint:Imports::Records:" + sha1("[\"b.csv\"]");
					assertThat(client.sync().hgetall(key)).containsEntry("cursor", "{\"file\":\"b.csv\",\"line\":3}")
						.containsKey("at");
					// Progress is written at most once a second: the last report, held
					// back,
					// is written by the pool's beat.
					eventually(WAIT,
							() -> assertThat(client.sync().hgetall(key)).containsEntry("done", "3")
								.containsEntry("total", "10")
								.containsKey("progress_at"));
					// Any process sees it through the fleet, as of the pool's last beat.
					ResqueFleet fleet = context.getBean(ResqueFleet.class);
					eventually(WAIT, () -> assertThat(fleet.view().pools()).singleElement()
						.satisfies((p) -> assertThat(p.jobs()).singleElement().satisfies((job) -> {
							assertThat(job.className()).isEqualTo("Imports::Records");
							assertThat(job.cursor()).isEqualTo("{\"file\":\"b.csv\",\"line\":3}");
							assertThat(job.cursorSavedAt()).isNotNull();
							assertThat(job.done()).isEqualTo(3);
							assertThat(job.total()).isEqualTo(10);
						})));
					jobs.release.countDown();
					eventually(WAIT, () -> assertThat(jobs.finished).containsExactly("b.csv"));
					eventually(WAIT, () -> assertThat(fleet.view().pools().get(0).jobs()).isEmpty());
					eventually(WAIT, () -> assertThat(client.sync().keys("resque:resquepool:checkpoint:*")).isEmpty());
				}
			});
	}

	private static String checkpointKey(StatefulRedisConnection<String, String> client) {
		return "resque:resquepool:checkpoint:Imports::Rows:" + sha1("[\"a.csv\",400]");
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

	/** Jobs that checkpoint. */
	static class LongJobs {

		final List<Long> rows = new CopyOnWriteArrayList<>();

		final List<Long> starts = new CopyOnWriteArrayList<>();

		final List<Long> rowNanos = new CopyOnWriteArrayList<>();

		final List<String> finished = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		volatile int recordSeenAt = -1;

		private final TestJobs others;

		LongJobs(TestJobs others) {
			this.others = others;
		}

		@ResqueJob("Imports::Rows")
		void importRows(String file, int count, JobContext context) throws InterruptedException {
			long next = context.cursor(Long.class).orElse(0L);
			this.starts.add(next);
			if (this.recordSeenAt < 0 && !this.others.runs.isEmpty()) {
				this.recordSeenAt = this.rows.size();
			}
			while (next < count) {
				Thread.sleep(2);
				this.rows.add(next++);
				this.rowNanos.add(System.nanoTime());
				context.checkpoint(next);
			}
			this.finished.add(file);
		}

		@ResqueJob("Imports::Records")
		void importRecords(String file, JobContext context) throws InterruptedException {
			Position at = context.cursor(Position.class).orElse(new Position(file, 0));
			for (int line = at.line(); line < 3; line++) {
				context.checkpoint(new Position(file, line + 1));
				context.progress(line + 1, 10);
			}
			if (!this.release.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
			this.finished.add(file);
		}

	}

	record Position(String file, int line) {
	}

	/** Records the jobs whose on-failure hooks ran. */
	static class FailureHooks implements JobInterceptor {

		final List<String> failed = new CopyOnWriteArrayList<>();

		@Override
		public void onFailure(JobContext job, Object[] args, Throwable error) {
			this.failed.add(job.className() + ": " + error);
		}

	}

}
