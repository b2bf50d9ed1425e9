package io.github.resquepool.resque;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beat script with thousands of workers: the ids travel as script arguments and go on
 * to {@code SMISMEMBER} and {@code HSET}, where Lua's {@code unpack} refuses about 8,000
 * values at once (so 4,000 workers' field-value pairs). Every worker's heartbeat must
 * still be written.
 */
@ExtendWith(RedisExtension.class)
class HeartbeatScriptTests {

	private static final String POOL_ID = "big-host:77:beat01";

	private static final String INFO = "{\"host\":\"big-host\",\"pid\":77,\"started\":\"x\",\"workers\":0}";

	@ParameterizedTest(name = "{0} workers")
	@ValueSource(ints = { 3_000, 5_000 })
	@SuppressWarnings("unchecked")
	void aBeatWritesTheHeartbeatOfEveryRegisteredWorker(int count, TestRedis redis) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.enabled=false")
			.run((context) -> {
				ResqueRedis resque = context.getBean(ResqueRedis.class);
				List<String> ids = IntStream.rangeClosed(1, count).mapToObj((i) -> "big-host:77-" + i + ":q").toList();
				List<String> unknown = List.of("big-host:77-0:gone", "big-host:77-" + (count + 1) + ":gone");
				resque.workers().register(POOL_ID, "2026-12-01 10:00:00 +0000", ids);
				try (StatefulRedisConnection<String, String> client = redis.connect()) {
					// registration writes a first heartbeat: remove them so that only the
					// beat can write them
					client.sync().del("resque:workers:heartbeat");
					List<String> beating = new ArrayList<>(ids);
					beating.add(count / 2, unknown.get(0));
					beating.add(unknown.get(1));

					PoolStore.Beat beat = resque.pools().beat(POOL_ID, INFO, beating);

					assertThat(beat.unregistered()).as("ids not registered").containsExactlyElementsOf(unknown);
					assertThat(beat.poolKnown()).as("the pool's record existed before the beat").isFalse();
					Map<String, String> heartbeats = client.sync().hgetall("resque:workers:heartbeat");
					assertThat(heartbeats).as("heartbeats").hasSize(count).containsOnlyKeys(ids);
					String first = heartbeats.get(ids.get(0));
					assertThat(OffsetDateTime.parse(first)).isNotNull();
					assertThat(heartbeats.values()).as("one beat, one time for all").containsOnly(first);
					assertThat(client.sync().zscore("resque:resquepool:pools", POOL_ID)).isNotNull();
					assertThat(client.sync().hget("resque:resquepool:pool:" + POOL_ID, "info")).isEqualTo(INFO);
					assertThat(client.sync().hget("resque:resquepool:pool:" + POOL_ID, "beat")).isNotNull();
				}
			});
	}

}
