package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
 * The fleet's store against a real Redis: which queues resque-pause's keys pause, looked
 * up a bounded number of queues per script call rather than one round trip per queue (the
 * fleet view asks it for every queue of the namespace).
 */
@ExtendWith(RedisExtension.class)
class FleetStoreTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues("resque.pool.enabled=false", "resque.pool.namespace=fleet-store");

	@Test
	void pausedQueuesAreFoundAmongManyInAFewScriptCalls(TestRedis redis) {
		this.runner.withPropertyValues(redis.springPropertyValues()).run((context) -> {
			FleetStore store = context.getBean(ResqueRedis.class).fleet();
			List<String> queues = new ArrayList<>();
			Set<String> expected = new TreeSet<>();
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				for (int i = 0; i < 1200; i++) {
					String queue = "q" + i;
					queues.add(queue);
					if (i % 97 == 0) {
						client.sync().set("fleet-store:pause:queue:" + queue, "true");
						expected.add(queue);
					}
				}
				client.sync().set("fleet-store:pause:queue:not-asked", "true");
				// the script's first call loads it (EVALSHA, NOSCRIPT, EVAL)
				assertThat(store.pausedQueues(List.of("q0"))).containsExactly("q0");
				client.sync().configResetstat();

				Set<String> paused = store.pausedQueues(queues);

				assertThat(paused).isEqualTo(expected);
				String stats = client.sync().info("commandstats");
				assertThat(calls(stats, "evalsha") + calls(stats, "eval")).as("script calls").isEqualTo(3);
				assertThat(calls(stats, "exists")).as("EXISTS, all inside the scripts").isEqualTo(1200);
			}
		});
	}

	private static long calls(String commandStats, String command) {
		for (String line : commandStats.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

}
