package io.github.resquepool.sample.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.test.EmbeddedResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @EmbeddedResqueRedis} after {@code @SpringBootTest}, with one test instance per
 * class, whose context Spring makes before any {@code @BeforeAll}: the application still
 * gets the test's Redis and starts none of its own. (A property of its own keeps this
 * context out of the cache of the other tests' contexts.)
 */
@SpringBootTest(properties = { "resque.sample.demo-on-start=false", "resque.sample.report-delay=10ms" })
@EmbeddedResqueRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerClassLifecycleTests {

	@Test
	void theApplicationUsesTheTestsRedis(ApplicationContext context, TestRedis testRedis,
			@Autowired Environment environment) {
		assertThat(environment.getProperty("spring.data.redis.port", Integer.class)).isEqualTo(testRedis.port());
		assertThat(context.getBeanNamesForType(EmbeddedRedisServer.class)).isEmpty();
	}

}
