package io.github.resquepool.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Invalid {@code resque.pool.*} values fail a real application start with Boot's report
 * that names the property and the fix.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class InvalidResquePoolPropertyFailureAnalyzerTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					resque.pool.groups.default.count=-1        | resque.pool.groups.default.count        | must be 0 or more
					resque.pool.groups.default.queues=         | resque.pool.groups.default.queues       | the queue list is empty
					resque.pool.groups.default.queues=a:b      | resque.pool.groups.default.queues       | holds ':'
					resque.pool.groups.default.queues=a b      | resque.pool.groups.default.queues       | holds ' '
					resque.pool.groups.default.queues=!low     | resque.pool.groups.default.queues       | only exclusions
					resque.pool.groups.g.count=300             | resque.pool.max-workers                 | more than the maximum
					resque.pool.heartbeat-interval=90s         | resque.pool.heartbeat-interval          | between 100ms and 60s
					resque.pool.shutdown-timeout=29s           | resque.pool.shutdown-timeout            | timeout-per-shutdown-phase
					resque.pool.namespace=my ns                | resque.pool.namespace                   | must not hold spaces
					resque.pool.queue-limits.exports=two       | resque.pool.queue-limits.exports        | is neither a concurrency such as 2
					resque.pool.queue-limits.exports=5/soon    | resque.pool.queue-limits.exports        | soon
					""")
	void invalidValueFailsTheStartNamingTheProperty(String setting, String property, String reason, TestRedis redis,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(redis, setting));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: " + property)
			.contains(reason)
			.contains("Action:");
	}

	@Test
	void theReportSaysWhereTheInvalidValueCameFrom(TestRedis redis, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(redis, "resque.pool.groups.default.count=-1"));
		assertThat(output)
			.contains("Origin: \"resque.pool.groups.default.count\" from property source \"commandLineArgs\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis://user:s3cret@localhost:port/0", "redis://user:s3cret@localhost:6379/db",
			"redis://:s3cret@local host:6379", "rediss://s3cret@localhost:99999999999" })
	void aMalformedRedisUrlNeverShowsItsPassword(String url, TestRedis redis, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(redis, "resque.redis.url=" + url));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: resque.redis.url")
			.contains("******")
			.doesNotContain("s3cret");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			resque.pool.bogus=1                        | resque.pool.bogus
			resque.pool.groups.default.qeues=a         | resque.pool.groups.default.qeues
			resque.redis.urll=redis://localhost        | resque.redis.urll
			""")
	void unknownKeysFailTheStart(String setting, String property, TestRedis redis, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(redis, setting));
		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	private static void start(TestRedis redis, String setting) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>();
		for (String property : redis.springPropertyValues()) {
			args.add("--" + property);
		}
		args.add("--" + setting);
		args.add("--spring.main.banner-mode=off");
		application.run(args.toArray(String[]::new)).close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
