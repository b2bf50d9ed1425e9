package io.github.resquepool.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.job.JobArgumentException;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.test.RecordingResqueClient.Mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ResqueJobTester} and {@link RecordingResqueClient} on the real
 * auto-configuration (the pool off, so no Redis is used).
 */
class ResqueJobTesterTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false", "spring.data.redis.port=1")
		.withBean(Jobs.class)
		.withBean(Recording.class);

	@Test
	void performsThroughTheRealBindingAndInterceptors() {
		this.runner.run((context) -> {
			ResqueJobTester tester = ResqueJobTester.of(context);
			Jobs jobs = context.getBean(Jobs.class);
			assertThat(tester.perform("Billing::Charge", "acct_1", 1250).outcome())
				.isEqualTo(JobResult.Outcome.PERFORMED);
			assertThat(jobs.received).containsExactly("acct_1 1250");
			assertThat(context.getBean(Recording.class).events).containsExactly("before Billing::Charge test");

			JobResult bad = tester.performPayload("{\"class\":\"Billing::Charge\",\"args\":[\"acct_1\",\"12\"]}");
			assertThat(bad.error()).isInstanceOf(JobArgumentException.class);
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> tester.performOrThrow("Billing::Charge", "acct_1", -5));
		});
	}

	@Test
	void performsActiveJobJobs() {
		this.runner.run((context) -> {
			ResqueJobTester tester = ResqueJobTester.of(context);
			assertThat(tester.performActiveJob("SendInvoiceJob", 42, Map.of("currency", "EUR")).outcome())
				.isEqualTo(JobResult.Outcome.PERFORMED);
			assertThat(context.getBean(Jobs.class).received).singleElement()
				.asString()
				.startsWith("42 {currency=EUR} job ");
		});
	}

	@Test
	void fakeRecordsAndInlinePerforms() {
		this.runner.run((context) -> {
			ResqueJobTester tester = ResqueJobTester.of(context);
			RecordingResqueClient client = new RecordingResqueClient(JsonMapper.shared(), tester, Mode.FAKE);
			client.enqueue("billing", "Billing::Charge", "acct_1", 100);
			client.enqueueActiveJob("invoices", "SendInvoiceJob", 42, Map.of("currency", "EUR"));
			assertThat(client.jobs()).extracting(EnqueuedJob::className)
				.containsExactly("Billing::Charge", "SendInvoiceJob");
			assertThat(client.jobs("billing").get(0).payload())
				.isEqualTo("{\"class\":\"Billing::Charge\",\"args\":[\"acct_1\",100]}");
			assertThat(context.getBean(Jobs.class).received).isEmpty();

			client.inline();
			client.enqueue("billing", "Billing::Charge", "acct_2", 200);
			assertThat(context.getBean(Jobs.class).received).containsExactly("acct_2 200");
			assertThatIllegalStateException()
				.isThrownBy(() -> client.enqueue("billing", "Billing::Charge", "acct_3", -1))
				.withMessageContaining("inline job Billing::Charge failed");
		});
	}

	static class Jobs {

		final List<String> received = new ArrayList<>();

		@ResqueJob("Billing::Charge")
		void charge(String account, long cents) {
			if (cents < 0) {
				throw new IllegalArgumentException("negative");
			}
			this.received.add(account + " " + cents);
		}

		@ResqueJob("SendInvoiceJob")
		void invoice(long id, Map<String, Object> options, JobContext context) {
			this.received.add(id + " " + options + " job " + context.jobId());
		}

	}

	static class Recording implements JobInterceptor {

		final List<String> events = new ArrayList<>();

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			if (this.events.isEmpty()) {
				this.events.add("before " + job.className() + " " + job.queue());
			}
		}

	}

}
