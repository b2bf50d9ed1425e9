package io.github.resquepool.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link EmbeddedResqueRedis} points Spring at the server when the test instance, and
 * with it Spring's context, is made, in either lifecycle, and gives the system properties
 * back after the class.
 */
class EmbeddedResqueRedisExtensionTests {

	private static final String HOST = "spring.data.redis.host";

	private static final String PORT = "spring.data.redis.port";

	@Test
	void pointsSpringAtTheServerWhileTheClassRunsAndGivesThePropertiesBack() {
		String host = System.getProperty(HOST);
		String port = System.getProperty(PORT);
		try {
			System.clearProperty(HOST);
			System.setProperty(PORT, "1");
			EngineTestKit.engine("junit-jupiter")
				.selectors(selectClass(PerMethod.class), selectClass(PerClass.class))
				.execute()
				.testEvents()
				.assertStatistics((stats) -> stats.started(2).succeeded(2));
			assertThat(System.getProperty(HOST)).isNull();
			assertThat(System.getProperty(PORT)).isEqualTo("1");
		}
		finally {
			restore(HOST, host);
			restore(PORT, port);
		}
	}

	private static void restore(String key, String value) {
		if (value != null) {
			System.setProperty(key, value);
		}
		else {
			System.clearProperty(key);
		}
	}

	@EmbeddedResqueRedis
	static class PerMethod {

		// what a @SpringBootTest's context, made with the instance, would see
		private final String port = System.getProperty(PORT);

		@Test
		void seesTheServer(TestRedis redis) {
			assertThat(this.port).isEqualTo(Integer.toString(redis.port()));
			assertThat(System.getProperty(HOST)).isEqualTo(redis.host());
		}

	}

	@EmbeddedResqueRedis
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	static class PerClass {

		private final String port = System.getProperty(PORT);

		@Test
		void seesTheServer(TestRedis redis) {
			assertThat(this.port).isEqualTo(Integer.toString(redis.port()));
		}

	}

}
