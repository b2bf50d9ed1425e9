package io.github.resquepool.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which Redis Resque uses: the application's ({@code spring.data.redis.*}, here the
 * shared test Redis), a Redis of its own ({@code resque.redis.url}, here a second
 * server), or the connection factory qualified {@link ResqueRedisConnectionFactory}; and
 * the start-up failures when that cannot be decided or cannot work.
 */
@ExtendWith(RedisExtension.class)
class ResqueRedisSelectionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestRedis resqueRedis;

	private final ApplicationContextRunner runner;

	private final TestRedis applicationRedis;

	ResqueRedisSelectionTests(TestRedis applicationRedis) {
		this.applicationRedis = applicationRedis;
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues("resque.pool.poll-interval=100ms", "resque.pool.shutdown-timeout=2s",
					"resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2")
			.withBean(TestJobs.class);
	}

	@BeforeAll
	static void startResqueRedis() {
		resqueRedis = TestRedis.startNew();
	}

	@AfterAll
	static void stopResqueRedis() {
		resqueRedis.close();
	}

	@BeforeEach
	void flushResqueRedis() {
		resqueRedis.flushAll();
	}

	@Test
	void resqueRedisUrlSendsEveryKeyOfThePoolToItsOwnRedisAndNoneToTheApplicationsRedis() {
		this.runner.withPropertyValues(this.applicationRedis.springPropertyValues())
			.withPropertyValues("resque.redis.url=redis://" + resqueRedis.host() + ":" + resqueRedis.port(),
					"resque.redis.client-name=resque-own")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ResqueLettuceClient.class).description()).startsWith("resque.redis.url");
				context.getBean(ResqueClient.class).enqueue("q", "Test::Record", "own");
				assertPoolWorksOn(resqueRedis, context.getBean(TestJobs.class), "Record:own");
				try (StatefulRedisConnection<String, String> client = resqueRedis.connect()) {
					assertThat(client.sync().clientList()).as("connections named by resque.redis.client-name")
						.contains("name=resque-own");
				}
				assertNoResqueKeys(this.applicationRedis);
			});
	}

	@Test
	void aFactoryQualifiedResqueRedisConnectionFactoryIsUsedOverThePrimaryOne() {
		this.runner.withUserConfiguration(TwoFactoriesOneForResque.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ResqueLettuceClient.class).description())
				.isEqualTo("@ResqueRedisConnectionFactory");
			context.getBean(ResqueClient.class).enqueue("q", "Test::Record", "qualified");
			assertPoolWorksOn(resqueRedis, context.getBean(TestJobs.class), "Record:qualified");
			assertNoResqueKeys(this.applicationRedis);
		});
	}

	@Test
	void withoutAChoiceThePrimaryFactoryIsUsed() {
		this.runner.withUserConfiguration(TwoFactoriesOnePrimary.class).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(ResqueClient.class).enqueue("q", "Test::Record", "primary");
			assertPoolWorksOn(this.applicationRedis, context.getBean(TestJobs.class), "Record:primary");
			assertNoResqueKeys(resqueRedis);
		});
	}

	@Test
	void twoFactoriesAndNoneChosenFailTheStartWithAReportThatSaysHowToChoose() {
		this.runner.withUserConfiguration(TwoFactoriesNoneChosen.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(NoUniqueResqueRedisException.class);
			FailureAnalysis analysis = new NoUniqueResqueRedisFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription())
				.isEqualTo("resque-pool found 2 RedisConnectionFactory beans and none is chosen for Resque: "
						+ "cacheRedis, otherRedis");
			assertThat(analysis.getAction()).contains("@ResqueRedisConnectionFactory")
				.contains("@Primary")
				.contains("resque.redis.url");
			assertThat(analysis.getCause()).isInstanceOf(NoUniqueResqueRedisException.class);
		});
	}

	@Test
	void twoFactoriesAndResqueRedisUrlStart() {
		this.runner.withUserConfiguration(TwoFactoriesNoneChosen.class)
			.withPropertyValues("resque.redis.url=redis://" + resqueRedis.host() + ":" + resqueRedis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(ResqueClient.class).enqueue("q", "Test::Record", "url");
				assertPoolWorksOn(resqueRedis, context.getBean(TestJobs.class), "Record:url");
			});
	}

	@Test
	void aMasterReplicaSetUpFailsTheStartWithAClearMessage() {
		this.runner
			.withPropertyValues("spring.data.redis.masterreplica.nodes=" + this.applicationRedis.host() + ":"
					+ this.applicationRedis.port() + "," + resqueRedis.host() + ":" + resqueRedis.port())
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasRootCauseInstanceOf(InvalidResquePoolPropertyException.class);
				FailureAnalysis analysis = new InvalidResquePoolPropertyFailureAnalyzer(
						new org.springframework.core.env.StandardEnvironment())
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: spring.data.redis.masterreplica.nodes")
					.contains(this.applicationRedis.host() + ":" + this.applicationRedis.port())
					.contains("needs the primary");
				assertThat(analysis.getAction()).contains("resque.redis.url").contains("spring.data.redis.sentinel");
			});
	}

	@Test
	void aMasterReplicaSetUpStartsWhenResqueHasARedisOfItsOwn() {
		this.runner
			.withPropertyValues(
					"spring.data.redis.masterreplica.nodes=" + this.applicationRedis.host() + ":"
							+ this.applicationRedis.port(),
					"resque.redis.url=redis://" + resqueRedis.host() + ":" + resqueRedis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(ResqueClient.class).enqueue("q", "Test::Record", "apart");
				assertPoolWorksOn(resqueRedis, context.getBean(TestJobs.class), "Record:apart");
			});
	}

	@Test
	void anInvalidResqueRedisUrlFailsTheStartWithAClearMessage() {
		for (String url : List.of("http://localhost:6379", "not a url")) {
			this.runner.withPropertyValues(this.applicationRedis.springPropertyValues())
				.withPropertyValues("resque.redis.url=" + url)
				.run((context) -> {
					assertThat(context).as(url).hasFailed();
					assertThat(context.getStartupFailure()).as(url)
						.hasRootCauseInstanceOf(InvalidResquePoolPropertyException.class);
					FailureAnalysis analysis = new InvalidResquePoolPropertyFailureAnalyzer(
							new org.springframework.core.env.StandardEnvironment())
						.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).as(url)
						.contains("Property: resque.redis.url")
						.contains("Value: \"" + url + "\"")
						.contains("is not a Redis URL");
					assertThat(analysis.getAction()).as(url).contains("redis://").contains("rediss://");
				});
		}
	}

	/**
	 * Workers registered, the pool's liveness record, and the job run: all on that Redis.
	 */
	@SuppressWarnings("unchecked")
	private static void assertPoolWorksOn(TestRedis redis, TestJobs jobs, String run) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.runs).containsExactly(run));
			assertThat(client.sync().smembers("resque:workers")).hasSize(2);
			assertThat(client.sync().zrange("resque:resquepool:pools", 0, -1)).hasSize(1);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
		}
	}

	@SuppressWarnings("unchecked")
	private static void assertNoResqueKeys(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			assertThat(client.sync().keys("resque:*")).as("Resque keys on " + redis).isEmpty();
		}
	}

	private static LettuceConnectionFactory factory(TestRedis redis) {
		return new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactoriesOneForResque {

		@Bean
		@Primary
		LettuceConnectionFactory cacheRedis() {
			return factory(TestRedis.shared());
		}

		@Bean
		@ResqueRedisConnectionFactory
		LettuceConnectionFactory resqueRedisConnectionFactory() {
			return factory(ResqueRedisSelectionTests.resqueRedis);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactoriesOnePrimary {

		@Bean
		@Primary
		LettuceConnectionFactory cacheRedis() {
			return factory(TestRedis.shared());
		}

		@Bean
		LettuceConnectionFactory otherRedis() {
			return factory(ResqueRedisSelectionTests.resqueRedis);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactoriesNoneChosen {

		@Bean
		LettuceConnectionFactory cacheRedis() {
			return factory(TestRedis.shared());
		}

		@Bean
		LettuceConnectionFactory otherRedis() {
			return factory(ResqueRedisSelectionTests.resqueRedis);
		}

	}

}
