package io.github.resquepool.sample.jobs;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.test.EnqueuedJob;
import io.github.resquepool.test.RecordingResqueClient;
import io.github.resquepool.test.ResqueJobTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Testing a job without a pool or Redis (docs/testing.md).
 */
class BillingJobsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false")
		.withBean(BillingJobs.class);

	@Test
	void chargesThroughTheRealBinding() {
		this.runner.run((context) -> {
			ResqueJobTester tester = ResqueJobTester.of(context);
			assertThat(tester.perform("Billing::Charge", "acct_1042", 1250).outcome())
				.isEqualTo(JobResult.Outcome.PERFORMED);
			// a payload as Ruby's Resque.enqueue writes it
			assertThat(tester.performPayload("{\"class\":\"Billing::Charge\",\"args\":[\"acct_1042\",1.5]}").error())
				.hasMessageContaining("expected a whole number");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> tester.performOrThrow("Billing::Charge", "acct_1042", -5))
				.withMessageContaining("negative");
		});
	}

	@Test
	void aRecordingClientInFakeAndInlineMode() {
		this.runner.run((context) -> {
			RecordingResqueClient client = new RecordingResqueClient(JsonMapper.shared(), ResqueJobTester.of(context),
					RecordingResqueClient.Mode.FAKE);
			client.enqueue("billing", "Billing::Charge", "acct_1042", 1250);
			assertThat(client.jobs("billing")).extracting(EnqueuedJob::payload)
				.containsExactly("{\"class\":\"Billing::Charge\",\"args\":[\"acct_1042\",1250]}");
			client.inline();
			client.enqueue("billing", "Billing::Charge", "acct_1042", 100); // runs
																			// BillingJobs#charge
																			// now
			assertThat(client.jobs()).hasSize(2);
		});
	}

}
