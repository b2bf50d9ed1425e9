package io.github.resquepool.sample.redis;

import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions of {@link EmbeddedRedisEnvironmentPostProcessor} that start no server.
 */
class EmbeddedRedisEnvironmentPostProcessorTests {

	private final DeferredLogFactory logs = (destination) -> LogFactory
		.getLog(EmbeddedRedisEnvironmentPostProcessorTests.class);

	private final EmbeddedRedisEnvironmentPostProcessor processor = new EmbeddedRedisEnvironmentPostProcessor(
			this.logs);

	@Test
	void leavesAConfiguredRedisAlone() {
		for (String property : EmbeddedRedisEnvironmentPostProcessor.REDIS_PROPERTIES) {
			MockEnvironment environment = new MockEnvironment().withProperty(property, "x")
				.withProperty("REDIS_URL", "redis://elsewhere:6380");
			this.processor.postProcessEnvironment(environment, null);
			assertThat(environment.getPropertySources()
				.contains(EmbeddedRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).as(property).isFalse();
			assertThat(environment.getPropertySources()
				.contains(EmbeddedRedisEnvironmentPostProcessor.REDIS_URL_PROPERTY_SOURCE_NAME)).as(property).isFalse();
		}
	}

	@Test
	void recognisesEnvironmentVariables() {
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("SPRING_DATA_REDIS_HOST", "redis.internal")));
		assertThat(EmbeddedRedisEnvironmentPostProcessor.isRedisConfigured(environment)).isTrue();
	}

	@Test
	void mapsRedisUrlToSpringDataRedisUrl() {
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("env", Map.of("REDIS_URL", "rediss://:secret@redis.example.com:6380")));
		this.processor.postProcessEnvironment(environment, null);
		assertThat(environment.getProperty("spring.data.redis.url"))
			.isEqualTo("rediss://:secret@redis.example.com:6380");
		assertThat(
				environment.getPropertySources().contains(EmbeddedRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	@Test
	void startsNothingWhenSwitchedOff() {
		MockEnvironment environment = new MockEnvironment().withProperty("resque.sample.embedded-redis.enabled",
				"false");
		this.processor.postProcessEnvironment(environment, null);
		assertThat(environment.getProperty("spring.data.redis.host")).isNull();
	}

	@Test
	void hidesThePasswordWhenLogging() {
		assertThat(EmbeddedRedisEnvironmentPostProcessor.withoutPassword("rediss://:secret@redis.example.com:6380"))
			.isEqualTo("rediss://redis.example.com:6380");
		assertThat(EmbeddedRedisEnvironmentPostProcessor.withoutPassword("not a url")).doesNotContain("secret");
	}

}
