package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks a pool makes of its Redis at start, on a Redis of each test's own whose
 * settings the test changes.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerChecksTests {

	private static final String EVICTION_WARNING = "Redis runs with maxmemory-policy";

	private TestRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void aRedisThatMayEvictKeysIsWarnedAboutAtStart(CapturedOutput output) {
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			client.sync().configSet("maxmemory-policy", "allkeys-lru");
		}
		PoolTestSupport.runner(this.redis).withPropertyValues("resque.pool.groups.work.count=1").run((context) -> {
			eventually(Duration.ofSeconds(10), () -> assertThat(output.getOut()).contains(EVICTION_WARNING
					+ " allkeys-lru, so it may evict Resque's queues, jobs and worker records when memory runs out; "
					+ "use maxmemory-policy noeviction"));
			assertThat(output.getOut().lines().filter((line) -> line.contains(EVICTION_WARNING))).as("warnings")
				.hasSize(1)
				.allMatch((line) -> line.contains(" WARN "));
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void aRedisThatDoesNotEvictIsNotWarnedAbout(CapturedOutput output) {
		try (StatefulRedisConnection<String, String> client = this.redis.connect()) {
			assertThat(client.sync().configGet("maxmemory-policy")).isEqualTo(Map.of("maxmemory-policy", "noeviction"));
			PoolTestSupport.runner(this.redis).withPropertyValues("resque.pool.groups.work.count=1").run((context) -> {
				// the check comes before the first beat, and the workers register after
				// it
				eventually(Duration.ofSeconds(10),
						() -> assertThat(List.copyOf(client.sync().smembers("resque:workers"))).hasSize(1));
				assertThat(output.getOut()).doesNotContain(EVICTION_WARNING);
			});
		}
	}

}
