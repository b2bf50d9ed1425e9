package io.github.resquepool.sample.testing;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.sample.demo.DemoJobs;
import io.github.resquepool.test.EmbeddedResqueRedis;
import io.github.resquepool.test.EnqueuedJob;
import io.github.resquepool.test.RecordingResqueClient;
import io.github.resquepool.test.ResqueJobTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The application with a {@link RecordingResqueClient} in place of the real client
 * (docs/testing.md): what the sample's {@link DemoJobs} enqueues runs at once, on the
 * test's thread, through the real job bindings, and never reaches Redis.
 */
@EmbeddedResqueRedis
@SpringBootTest(properties = "resque.sample.demo-on-start=false")
class InlineJobsTests {

	@Autowired
	private RecordingResqueClient client;

	@Autowired
	private DemoJobs demoJobs;

	@BeforeEach
	void inline() {
		this.client.clear();
		this.client.inline();
	}

	@Test
	void theRecordingClientIsTheApplicationsClient(@Autowired ResqueClient resque) {
		assertThat(resque).isSameAs(this.client);
	}

	@Test
	void demoJobsRunInlineThroughTheRealBindings(TestRedis redis) {
		// one e-mail, one charge, one image resize
		assertThat(this.demoJobs.enqueue(3)).isEqualTo(Map.of("mail", 1, "critical", 1, "default", 1));
		assertThat(this.client.jobs()).extracting(EnqueuedJob::className)
			.containsExactly("Mailers::Welcome", "Billing::Charge", "Images::Resize");
		assertThat(this.client.jobs("critical")).singleElement()
			.satisfies((job) -> assertThat(job.payload())
				.matches("\\{\"class\":\"Billing::Charge\",\"args\":\\[\"acct_\\d{4}\",\\d+\\]\\}"));
		try (var connection = redis.connect()) {
			assertThat(connection.sync().keys("resque:queue:*")).isEmpty();
		}
	}

	@Test
	void aFailingJobFailsTheEnqueue() {
		// the eighth demo job is a charge with a negative amount
		assertThatIllegalStateException().isThrownBy(() -> this.demoJobs.enqueue(8))
			.withMessageStartingWith("inline job Billing::Charge failed")
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageStartingWith("Cannot charge a negative amount");
		assertThat(this.client.jobs()).hasSize(8);
	}

	@Test
	void inFakeModeItOnlyRecords() {
		this.client.fake();
		assertThat(this.demoJobs.enqueue(10)).containsEntry("critical", 3);
		assertThat(this.client.jobs()).hasSize(10);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RecordingClient {

		@Bean
		@Primary
		RecordingResqueClient recordingResqueClient(JsonMapper mapper, ApplicationContext context) {
			return new RecordingResqueClient(mapper, ResqueJobTester.of(context), RecordingResqueClient.Mode.INLINE);
		}

	}

}
