package io.github.resquepool.pool;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobExecution;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.ResqueJob;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobInterceptor} beans around real jobs that a running pool takes from Redis:
 * Ruby's {@code before_perform}, {@code around_perform}, {@code after_perform} and
 * {@code on_failure} in their order, and a before hook's {@link DontPerform} skipping a
 * job that still counts as processed.
 */
@ExtendWith(RedisExtension.class)
class JobInterceptorPoolTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner;

	JobInterceptorPoolTests(TestRedis redis) {
		// registered inner first: the order comes from Ordered, not from registration
		this.runner = PoolTestSupport.runner(redis)
			.withBean("inner", JobInterceptor.class, () -> new Recording("inner", 2, this.calls))
			.withBean("outer", JobInterceptor.class, () -> new Recording("outer", 1, this.calls))
			.withBean(HookedJobs.class, () -> new HookedJobs(this.calls))
			.withPropertyValues("resque.pool.groups.work.queues=hooks", "resque.pool.groups.work.count=1");
	}

	@Test
	void hooksRunInOrderAroundAJobTakenFromRedis(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String worker = onlyWorker(client);
				push(client, "hooks", "Hooks::Perform", "\"a\"");
				eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
				String job = "Hooks::Perform hooks " + worker + " [a]";
				assertThat(this.calls).containsExactly("outer before " + job, "inner before " + job,
						"outer around-in " + job, "inner around-in " + job, "perform a", "inner around-out " + job,
						"outer around-out " + job, "outer after " + job, "inner after " + job);
				assertThat(client.sync().llen("resque:failed")).isEqualTo(0L);
			}
		});
	}

	@Test
	void onFailureHooksRunInOrderWithTheErrorAndNoAfterHooks(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String worker = onlyWorker(client);
				push(client, "hooks", "Hooks::Fail", "\"b\"");
				eventually(WAIT, () -> assertThat(client.sync().llen("resque:failed")).isEqualTo(1L));
				String job = "Hooks::Fail hooks " + worker + " [b]";
				assertThat(this.calls).containsExactly("outer before " + job, "inner before " + job,
						"outer around-in " + job, "inner around-in " + job, "fail b",
						"outer onFailure " + job + " IllegalStateException: b fails",
						"inner onFailure " + job + " IllegalStateException: b fails");
				assertThat((String) client.sync().lindex("resque:failed", 0))
					.contains("\"exception\":\"java.lang.IllegalStateException\"")
					.contains("\"error\":\"b fails\"");
				assertThat(client.sync().get("resque:stat:failed")).isEqualTo("1");
			}
		});
	}

	@Test
	void dontPerformFromABeforeHookSkipsTheJobQuietlyAndCountsItProcessed(TestRedis redis) {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String worker = onlyWorker(client);
				push(client, "hooks", "Hooks::Perform", "\"skip\"");
				eventually(WAIT, () -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
				String job = "Hooks::Perform hooks " + worker + " [skip]";
				// the outer hook skips it: the inner before hook, the around hooks, the
				// handler and the
				// after hooks never run, and it is no failure
				assertThat(this.calls).containsExactly("outer before " + job);
				assertThat(client.sync().get("resque:stat:processed:" + worker)).isEqualTo("1");
				assertThat(client.sync().get("resque:stat:failed")).isNull();
				assertThat(client.sync().llen("resque:failed")).isEqualTo(0L);
				assertThat(client.sync().llen("resque:queue:hooks")).isEqualTo(0L);
				assertThat(client.sync().exists("resque:worker:" + worker)).isEqualTo(0L);
				eventually(WAIT, () -> assertThat(pool.status().processed()).isEqualTo(1));
				assertThat(pool.status().failed()).isZero();
				// and the worker goes on with the next job
				push(client, "hooks", "Hooks::Perform", "\"next\"");
				eventually(WAIT, () -> assertThat(this.calls).contains("perform next"));
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static String onlyWorker(StatefulRedisConnection<String, String> client) {
		List<String> ids = List.copyOf(client.sync().smembers("resque:workers"));
		assertThat(ids).hasSize(1);
		return ids.get(0);
	}

	/**
	 * Records every hook call with the job it saw; the outer one skips jobs whose
	 * argument is "skip".
	 */
	static final class Recording implements JobInterceptor, Ordered {

		private final String name;

		private final int order;

		private final List<String> calls;

		Recording(String name, int order, List<String> calls) {
			this.name = name;
			this.order = order;
			this.calls = calls;
		}

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			record("before", job, args);
			if (this.name.equals("outer") && "skip".equals(args[0])) {
				throw new DontPerform();
			}
		}

		@Override
		public void aroundPerform(JobContext job, Object[] args, JobExecution next) throws Exception {
			record("around-in", job, args);
			next.proceed();
			record("around-out", job, args);
		}

		@Override
		public void afterPerform(JobContext job, Object[] args) {
			record("after", job, args);
		}

		@Override
		public void onFailure(JobContext job, Object[] args, Throwable error) {
			this.calls.add(this.name + " onFailure " + describe(job, args) + " " + error.getClass().getSimpleName()
					+ ": " + error.getMessage());
		}

		private void record(String hook, JobContext job, Object[] args) {
			this.calls.add(this.name + " " + hook + " " + describe(job, args));
		}

		private static String describe(JobContext job, Object[] args) {
			return job.className() + " " + job.queue() + " " + job.workerId() + " " + Arrays.toString(args);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	/** The handlers the interceptors wrap. */
	static final class HookedJobs {

		private final List<String> calls;

		HookedJobs(List<String> calls) {
			this.calls = calls;
		}

		@ResqueJob("Hooks::Perform")
		void perform(String value) {
			this.calls.add("perform " + value);
		}

		@ResqueJob("Hooks::Fail")
		void fail(String value) {
			this.calls.add("fail " + value);
			throw new IllegalStateException(value + " fails");
		}

	}

}
