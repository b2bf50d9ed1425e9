package io.github.resquepool.resque;

import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancel requests are read with a bound: a value anyone wrote that is longer than any
 * request of ours is skipped in Redis, never sent; a working status is digested in Redis.
 */
@ExtendWith(RedisExtension.class)
class CancelStoreTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void aHugeValueAtACancelKeyIsSkippedWithoutBeingSentAndARequestIsRead(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			CancelStore cancels = context.getBean(ResqueRedis.class).cancels();
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				client.sync().set("resque:resquepool:cancel:big", "x".repeat(2 * 1024 * 1024));
				client.sync().set("resque:resquepool:cancel:ours", "{\"seq\":1,\"state\":\"requested\"}");
				client.sync().set("resque:worker:ours", "{\"queue\":\"q\"}");
				long before = outputBytes(client);
				assertThat(cancels.requests(List.of("big", "ours", "none"))).containsOnlyKeys("ours")
					.containsEntry("ours", "{\"seq\":1,\"state\":\"requested\"}");
				assertThat(cancels.state("big").request()).isNull();
				CancelStore.State ours = cancels.state("ours");
				assertThat(ours.request()).contains("requested");
				assertThat(ours.runningSha()).isEqualTo(Sha1.hex("{\"queue\":\"q\"}"));
				assertThat(cancels.state("none")).isEqualTo(new CancelStore.State(null, null));
				// Sending the 2 MB value even once would pass this.
				assertThat(outputBytes(client) - before).isLessThan(20_000);
			}
		});
	}

	private static long outputBytes(StatefulRedisConnection<String, String> client) {
		return client.sync()
			.info("stats")
			.lines()
			.filter((line) -> line.startsWith("total_net_output_bytes:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
			.findFirst()
			.orElseThrow();
	}

}
