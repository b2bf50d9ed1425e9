package io.github.resquepool.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.job.DuplicateResqueJobException;
import io.github.resquepool.job.JobProcessingConfiguration;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.ResqueJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DuplicateResqueJobFailureAnalyzer}.
 */
class DuplicateResqueJobFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(JobProcessingConfiguration.class);

	@Test
	void twoHandlersForOneNameFailTheContextNamingBothSources() {
		this.contextRunner.withBean("firstMailer", FirstMailer.class)
			.withBean("secondMailer", SecondMailer.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(DuplicateResqueJobException.class);
				FailureAnalysis analysis = new DuplicateResqueJobFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.isEqualTo("Two @ResqueJob handlers claim the Resque class \"Mailers::Welcome\":\n  - "
							+ FirstMailer.class.getName() + "#welcome(long)\n  - " + SecondMailer.class.getName()
							+ "#greet(long, String)");
				assertThat(analysis.getAction())
					.isEqualTo("Give each handler its own Resque class name, or remove one of them.");
				assertThat(analysis.getCause()).isInstanceOf(DuplicateResqueJobException.class);
			});
	}

	@Test
	void distinctNamesStartTheContext() {
		this.contextRunner.withBean("firstMailer", FirstMailer.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(JobRegistry.class).names()).containsExactly("Mailers::Welcome");
		});
	}

	@Test
	void otherFailuresAreNotAnalyzed() {
		assertThat(new DuplicateResqueJobFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	static class FirstMailer {

		@ResqueJob("Mailers::Welcome")
		void welcome(long userId) {
		}

	}

	static class SecondMailer {

		@ResqueJob("Mailers::Welcome")
		void greet(long userId, String locale) {
		}

	}

}
