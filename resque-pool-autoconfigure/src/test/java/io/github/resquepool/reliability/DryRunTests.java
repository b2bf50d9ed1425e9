package io.github.resquepool.reliability;

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
 * {@code --resque.pool.dry-run=true} in a real JVM: it prints the workload, with counts
 * after the fleet's stored overrides and globs expanded against Redis, and exits 0
 * without registering a worker; an invalid configuration exits non-zero with the usual
 * report.
 */
@Timeout(90)
class DryRunTests {

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
	void aDryRunPrintsTheWorkloadAndExitsWithoutStartingAWorker() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		try (StatefulRedisConnection<String, String> client = RedisConnections.open(this.redis.host(),
				this.redis.port())) {
			client.sync().sadd("resque:queues", "mail_fast", "mail_slow", "other");
			client.sync()
				.hset("resque:resquepool:fleet:overrides", "scale:group=mail",
						"{\"seq\":4,\"kind\":\"scale\",\"pool\":null,\"group\":\"mail\",\"count\":7,\"by\":\"ops\","
								+ "\"at\":\"2026-12-01T10:00:00Z\"}");
			this.child = ChildPool.start("dry-run", this.redis.host(), this.redis.port(), "resque.pool.dry-run=true",
					"resque.pool.groups.mail.queues=mail_*", "resque.pool.groups.mail.count=2",
					"resque.pool.groups.rest.queues=other", "resque.pool.groups.rest.count=1");
			Rel.await(Duration.ofSeconds(60), () -> !this.child.isAlive(), () -> "the dry run exits");
			assertThat(this.child.exitValue()).as(this.child.output()).isZero();
			assertThat(this.child.output())
				.contains("group 'mail': queues mail_*, 7 workers (configured 2, fleet override)")
				.contains("expands now to mail_fast, mail_slow")
				.contains("group 'rest': queues other, 1 workers")
				.contains("in all 8 workers; no worker was started");
			assertThat(client.sync().scard("resque:workers")).isEqualTo(0L);
		}
	}

	@Test
	void aDryRunOfAnInvalidConfigurationExitsNonZeroWithTheReport() {
		this.redis = EmbeddedRedisServer.start(0, List.of());
		this.child = ChildPool.start("dry-run-invalid", this.redis.host(), this.redis.port(),
				"resque.pool.dry-run=true", "resque.pool.groups.mail.count=-1");
		Rel.await(Duration.ofSeconds(60), () -> !this.child.isAlive(), () -> "the dry run exits");
		assertThat(this.child.exitValue()).isNotZero();
		assertThat(this.child.output()).contains("APPLICATION FAILED TO START")
			.contains("resque.pool.groups.mail.count");
	}

}
