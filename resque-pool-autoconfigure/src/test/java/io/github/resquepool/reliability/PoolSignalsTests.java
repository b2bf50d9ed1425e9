package io.github.resquepool.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Unix signals to a pool JVM with {@code resque.pool.signals.enabled=true}: TTIN and
 * TTOU scale its only group, USR2 pauses, CONT resumes, HUP reloads; each is logged.
 */
@Timeout(90)
class PoolSignalsTests {

	private EmbeddedRedisServer redis;

	private ChildPool child;

	@AfterEach
	void stop() {
		if (this.child != null) {
			this.child.close();
		}
		this.redis.stop();
	}

	@Test
	void signalsScalePauseResumeAndReloadThePool() throws Exception {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		this.child = ChildPool.start("signals", this.redis.host(), this.redis.port(),
				Rel.poolSettings("resque.pool.groups.g.count=1", "resque.pool.signals.enabled=true"));
		this.child.awaitReady(Duration.ofSeconds(40));
		String info = "resque:resquepool:pool:" + this.child.poolId();
		try (StatefulRedisConnection<String, String> client = RedisConnections.open(this.redis.host(),
				this.redis.port())) {
			signal("TTIN");
			Rel.await(Duration.ofSeconds(10), () -> workers(client) == 2, () -> "2 workers after TTIN");
			signal("TTOU");
			Rel.await(Duration.ofSeconds(10), () -> workers(client) == 1, () -> "1 worker after TTOU");
			signal("USR2");
			Rel.await(Duration.ofSeconds(10), () -> state(client, info).contains("\"state\":\"paused\""),
					() -> "paused after USR2: " + state(client, info));
			signal("CONT");
			Rel.await(Duration.ofSeconds(10), () -> state(client, info).contains("\"state\":\"running\""),
					() -> "running after CONT: " + state(client, info));
			signal("TTIN");
			Rel.await(Duration.ofSeconds(10), () -> workers(client) == 2, () -> "2 workers before HUP");
			signal("HUP");
			Rel.await(Duration.ofSeconds(10), () -> this.child.output().contains("Signal HUP: reload applied"),
					() -> "the reload logged: " + this.child.output());
			assertThat(workers(client)).as("the run-time count survives a reload of an unchanged configuration")
				.isEqualTo(2);
		}
		assertThat(this.child.output()).contains("Signal TTIN: scaled group 'g' from 1 to 2")
			.contains("Signal TTOU: scaled group 'g' from 2 to 1")
			.contains("Signal USR2: pausing the pool")
			.contains("Signal CONT: resuming the pool");
	}

	private void signal(String name) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(this.child.pid())).start();
		assertThat(kill.waitFor()).as("kill -" + name).isZero();
	}

	private static long workers(StatefulRedisConnection<String, String> client) {
		return client.sync().scard("resque:workers");
	}

	private static String state(StatefulRedisConnection<String, String> client, String key) {
		String value = client.sync().hget(key, "info");
		return (value != null) ? value : "";
	}

}
