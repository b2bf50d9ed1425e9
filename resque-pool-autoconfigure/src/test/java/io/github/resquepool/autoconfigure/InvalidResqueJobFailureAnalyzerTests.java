package io.github.resquepool.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.job.InvalidResqueJobException;
import io.github.resquepool.job.JobProcessingConfiguration;
import io.github.resquepool.job.ResqueJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidResqueJobFailureAnalyzer}.
 */
class InvalidResqueJobFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(JobProcessingConfiguration.class);

	@Test
	void privateHandlerFailsTheContextNamingTheMethodAndTheReason() {
		this.contextRunner.withBean("mailer", PrivateMailer.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidResqueJobException.class);
			FailureAnalysis analysis = new InvalidResqueJobFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("The @ResqueJob method " + PrivateMailer.class.getName()
					+ "#welcome(long) cannot handle Resque jobs:\n"
					+ "  it is private, so it cannot be invoked (also not through a proxy)");
			assertThat(analysis.getAction()).startsWith("Fix the method, or remove its @ResqueJob annotation.")
				.contains("not private");
		});
	}

	@Test
	void badTimeoutFailsTheContextNamingTheTimeout() {
		this.contextRunner.withBean("mailer", SlowMailer.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidResqueJobFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(SlowMailer.class.getName() + "#welcome(long)")
				.contains("its timeout \"a while\" is not a duration");
		});
	}

	static class PrivateMailer {

		@ResqueJob("Mailers::Welcome")
		private void welcome(long userId) {
		}

	}

	static class SlowMailer {

		@ResqueJob(value = "Mailers::Welcome", timeout = "a while")
		void welcome(long userId) {
		}

	}

}
