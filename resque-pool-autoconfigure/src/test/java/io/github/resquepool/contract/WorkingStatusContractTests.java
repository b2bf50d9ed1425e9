package io.github.resquepool.contract;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.exists;
import static io.github.resquepool.contract.ContractSupport.get;
import static io.github.resquepool.contract.ContractSupport.onlyWorker;
import static io.github.resquepool.contract.ContractSupport.push;
import static io.github.resquepool.contract.ContractSupport.pushRecord;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The working status at {@code worker:<id>} and the stat counters (wire contract sections
 * 7 and 9).
 */
@ExtendWith(RedisExtension.class)
class WorkingStatusContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.groups.main.queues=q", "resque.pool.groups.main.count=1");

	@Test
	void whileAJobRunsItsWorkerKeyHoldsQueueRunAtAndThePayloadExactlyAsPushed(TestRedis redis) {
		this.runner.run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String id = onlyWorker(client);
				String payload = "{\"class\":\"Contract::Block\",\"args\":[\"k1\"],\"id\":\"j-1\",\"enqueued_at\":1795358091.25}";
				push(client, "q", payload);
				eventually(() -> assertThat(jobs.started).contains("k1"));

				String status = get(client, "resque:worker:" + id);
				Matcher matcher = Pattern
					.compile("^\\{\"queue\":\"q\",\"run_at\":\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\","
							+ "\"payload\":" + Pattern.quote(payload) + "\\}$")
					.matcher(status);
				assertThat(matcher.matches()).as(status).isTrue();
				long runAt = Instant.parse(matcher.group(1)).getEpochSecond();
				assertThat(runAt).isBetween(Instant.now().getEpochSecond() - 5, Instant.now().getEpochSecond());
				assertThat(get(client, "resque:stat:processed")).isNull();

				jobs.open("k1");
				eventually(() -> assertThat(exists(client, "resque:worker:" + id)).isFalse());
				eventually(() -> assertThat(get(client, "resque:stat:processed")).isEqualTo("1"));
				assertThat(get(client, "resque:stat:processed:" + id)).isEqualTo("1");
				assertThat(get(client, "resque:stat:failed")).isNull();
				assertThat(get(client, "resque:stat:failed:" + id)).isNull();
			}
		});
	}

	@Test
	void idleWorkerHasNoWorkingStatusKey(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String id = onlyWorker(client);
				pushRecord(client, "q", "done");
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).contains("done"));
				eventually(() -> assertThat(get(client, "resque:stat:processed")).isEqualTo("1"));
				// never an empty string: the key is deleted
				assertThat(exists(client, "resque:worker:" + id)).isFalse();
			}
		});
	}

	@Test
	void failedJobsCountAsProcessedAndAsFailedSuccessfulOnesOnlyAsProcessed(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String id = onlyWorker(client);
				push(client, "q", ContractSupport.payload("Contract::Fail", "[\"boom\"]"));
				pushRecord(client, "q", "ok-1");
				pushRecord(client, "q", "ok-2");
				eventually(() -> assertThat(get(client, "resque:stat:processed")).isEqualTo("3"));
				assertThat(get(client, "resque:stat:processed:" + id)).isEqualTo("3");
				assertThat(get(client, "resque:stat:failed")).isEqualTo("1");
				assertThat(get(client, "resque:stat:failed:" + id)).isEqualTo("1");
				assertThat(ContractSupport.llen(client, ContractSupport.FAILED)).isEqualTo(1);
				assertThat(exists(client, "resque:worker:" + id)).isFalse();
			}
		});
	}

}
