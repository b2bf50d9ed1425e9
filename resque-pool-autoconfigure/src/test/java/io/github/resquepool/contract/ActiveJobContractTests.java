package io.github.resquepool.contract;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.ActiveJobCaptures;
import io.github.resquepool.job.GlobalId;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

import static io.github.resquepool.contract.ContractSupport.FAILED;
import static io.github.resquepool.contract.ContractSupport.json;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.push;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java workers run jobs that Rails 6.1.7.10's ActiveJob enqueued ({@code perform_later},
 * {@code set(wait:)}), from the payloads captured in
 * {@code interop/captured/activejob-6.1/}, and record their failures as Ruby would.
 */
@ExtendWith(RedisExtension.class)
class ActiveJobContractTests {

	private final org.springframework.boot.test.context.runner.ApplicationContextRunner runner = ContractSupport
		.runner()
		.withBean(RailsJobs.class)
		.withPropertyValues("resque.pool.groups.main.queues=invoices,failing_aj", "resque.pool.groups.main.count=1");

	@Test
	void runsAJobEnqueuedWithPerformLater(TestRedis redis) {
		this.runner.run((context) -> {
			RailsJobs jobs = context.getBean(RailsJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				push(client, "invoices", ActiveJobCaptures.performLater("invoice"));
				push(client, "invoices", ActiveJobCaptures.performLater("globalid")
					.replace("\"job_class\":\"SendInvoiceJob\"", "\"job_class\":\"GlobalIdJob\""));
				eventually(() -> assertThat(jobs.received).hasSize(2));
				assertThat(jobs.received.get(0)).isEqualTo(
						List.of(42L, "EUR", Map.of("a", 1), "e8c728f8-d872-4b62-ab86-41928fcf1e79", 0, "invoices"));
				assertThat(jobs.received.get(1)).isEqualTo(List.of(GlobalId.parse("gid://interop/Customer/7"),
						List.of(GlobalId.parse("gid://interop/Customer/8")),
						Map.of("c", GlobalId.parse("gid://interop/Customer/9"))));
				assertThat(llen(client, FAILED)).isZero();
			}
		});
	}

	@Test
	void aFailureKeepsTheWrapperSoThatRetryRunsItInJavaAgain(TestRedis redis) {
		this.runner.run((context) -> {
			RailsJobs jobs = context.getBean(RailsJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String payload = json(ActiveJobCaptures.file("worker/failed_0.json")).get("payload").toString();
				push(client, "failing_aj", payload);
				eventually(() -> assertThat(llen(client, FAILED)).isEqualTo(1));
				JsonNode entry = json(client.sync().lindex(FAILED, 0));
				assertThat(entry.get("payload")).isEqualTo(json(payload));
				assertThat(entry.get("payload").get("class").asString())
					.isEqualTo("ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper");
				assertThat(entry.get("exception").asString()).isEqualTo("java.lang.IllegalArgumentException");
				assertThat(entry.get("error").asString()).isEqualTo("boom from Java: 42");
				assertThat(entry.get("queue").asString()).isEqualTo("failing_aj");

				jobs.failNextTime = false;
				// resque-web's Retry: Resque::Failure.requeue pushes {"class","args"} of
				// the entry
				context.getBean(ResqueFailures.class).retry(0);
				eventually(() -> assertThat(jobs.received).containsExactly(List.of("FailingJob ran", 42L)));
			}
		});
	}

	@Test
	void anUnknownRubySerializerIsAFailureEntryNamingIt(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String payload = ActiveJobCaptures.performLater("invoice")
					.replace("{\"a\":1,\"_aj_symbol_keys\":[]}",
							"{\"_aj_serialized\":\"MoneySerializer\",\"cents\":100}");
				push(client, "invoices", payload);
				eventually(() -> assertThat(llen(client, FAILED)).isEqualTo(1));
				JsonNode entry = json(client.sync().lindex(FAILED, 0));
				assertThat(entry.get("exception").asString())
					.isEqualTo("io.github.resquepool.job.UnsupportedActiveJobArgumentException");
				assertThat(entry.get("error").asString()).startsWith(
						"SendInvoiceJob argument 3 is a Ruby object written by the ActiveJob serializer \"MoneySerializer\"");
				assertThat(entry.get("payload")).isEqualTo(json(payload));
			}
		});
	}

	@Test
	void runsAJobDelayedWithWaitOnceTheSchedulerMovesIt(TestRedis redis) {
		this.runner.withConfiguration(AutoConfigurations.of(ResqueSchedulerAutoConfiguration.class))
			.withPropertyValues("resque.scheduler.poll-interval=200ms", "resque.scheduler.lock-timeout=2s")
			.run((context) -> {
				RailsJobs jobs = context.getBean(RailsJobs.class);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// delayed/wait_5_minutes.item.json, due now instead of in five
					// minutes
					String item = ActiveJobCaptures.file("delayed/wait_5_minutes.item.json");
					long bucket = ContractSupport.redisSeconds(client) - 1;
					client.sync().rpush("resque:delayed:" + bucket, item);
					client.sync().sadd("resque:timestamps:" + item, "delayed:" + bucket);
					client.sync().zadd("resque:delayed_queue_schedule", bucket, Long.toString(bucket));
					eventually(() -> assertThat(jobs.received).hasSize(1));
					assertThat(jobs.received.get(0)).isEqualTo(
							List.of(42L, "EUR", Map.of("a", 1), "0cfba367-3af1-4d65-aa1c-1b23d0f238d4", 0, "invoices"));
				}
			});
	}

	static class RailsJobs {

		final List<List<Object>> received = new CopyOnWriteArrayList<>();

		volatile boolean failNextTime = true;

		@ResqueJob("SendInvoiceJob")
		void sendInvoice(JobContext context, long id, String currency, Map<String, Object> options) {
			this.received.add(List.of(id, currency, options, context.jobId(), context.executions(), context.queue()));
		}

		@ResqueJob("GlobalIdJob")
		void globalIds(GlobalId customer, List<GlobalId> customers, Map<String, GlobalId> byKey) {
			this.received.add(List.of(customer, customers, byKey));
		}

		@ResqueJob("FailingJob")
		void failing(long id, String currency, Map<String, Object> options) {
			if (this.failNextTime) {
				throw new IllegalArgumentException("boom from Java: " + id);
			}
			this.received.add(List.of("FailingJob ran", id));
		}

	}

}
