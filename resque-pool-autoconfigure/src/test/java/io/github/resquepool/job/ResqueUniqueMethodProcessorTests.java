package io.github.resquepool.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResqueUniqueMethodProcessor}: what it registers, and the methods that
 * fail the start.
 */
class ResqueUniqueMethodProcessorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void registersTheUniqueSettingsOfAJobClass() {
		this.runner.withBean(Charges.class).run((context) -> {
			UniqueJob unique = context.getBean(UniqueJobs.class).find("Billing::Charge").orElseThrow();
			assertThat(unique.until()).isEqualTo(ResqueUnique.Until.STARTED);
			assertThat(unique.ttl()).isEqualTo(Duration.ofMinutes(10));
			assertThat(unique.key().getExpressionString()).isEqualTo("#account");
			assertThat(context.getBean(UniqueJobs.class).find("Billing::Refund")).isEmpty();
		});
	}

	@Test
	void aUniqueMethodWithoutResqueJobFailsTheStartNamingTheMethod() {
		this.runner.withBean(NoJob.class)
			.run((context) -> assertInvalid(context.getStartupFailure(), NoJob.class.getName() + "#charge(String)",
					"not @ResqueJob"));
	}

	@Test
	void aKeyThatIsNotSpelFailsTheStartNamingTheMethod() {
		this.runner.withBean(BadKey.class)
			.run((context) -> assertInvalid(context.getStartupFailure(), BadKey.class.getName() + "#charge(String)",
					"its @ResqueUnique key \"#p0 +\" is not a SpEL expression"));
	}

	@Test
	void aTtlThatIsNotAPositiveDurationFailsTheStartNamingTheMethod() {
		this.runner.withBean(BadTtl.class)
			.run((context) -> assertInvalid(context.getStartupFailure(), BadTtl.class.getName() + "#charge(String)",
					"its @ResqueUnique ttl \"soon\" is not a duration"));
		this.runner.withBean(ZeroTtl.class)
			.run((context) -> assertInvalid(context.getStartupFailure(), ZeroTtl.class.getName() + "#charge(String)",
					"its @ResqueUnique ttl \"0s\" is not positive"));
	}

	private static void assertInvalid(Throwable failure, String source, String reason) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidResqueJobException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("the cause of %s", failure).isInstanceOf(InvalidResqueJobException.class);
		InvalidResqueJobException invalid = (InvalidResqueJobException) cause;
		assertThat(invalid.getSource()).isEqualTo(source);
		assertThat(invalid.getReason()).contains(reason);
	}

	static class Charges {

		@ResqueJob("Billing::Charge")
		@ResqueUnique(until = ResqueUnique.Until.STARTED, ttl = "10m", key = "#account")
		void charge(String account, long cents) {
		}

		@ResqueJob("Billing::Refund")
		void refund(String account) {
		}

	}

	static class NoJob {

		@ResqueUnique
		void charge(String account) {
		}

	}

	static class BadKey {

		@ResqueJob("Billing::Charge")
		@ResqueUnique(key = "#p0 +")
		void charge(String account) {
		}

	}

	static class BadTtl {

		@ResqueJob("Billing::Charge")
		@ResqueUnique(ttl = "soon")
		void charge(String account) {
		}

	}

	static class ZeroTtl {

		@ResqueJob("Billing::Charge")
		@ResqueUnique(ttl = "0s")
		void charge(String account) {
		}

	}

}
