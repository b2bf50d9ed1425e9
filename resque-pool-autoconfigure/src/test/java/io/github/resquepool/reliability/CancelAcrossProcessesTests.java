package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.resquepool.actuate.endpoint.ActuatorHttp;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancel through {@code POST /actuator/resquefleet/cancel} of a web process without a
 * pool, of a job sleeping in a pool that runs in another JVM: applied, one
 * {@code ResquePool::JobCancelled} failure entry, nothing requeued, and the worker takes
 * its next job; a cancel of an idle worker fails, and a bad body answers 400.
 */
@Timeout(90)
class CancelAcrossProcessesTests {

	private TestRedis redis;

	private ChildPool child;

	@BeforeEach
	void startRedis() {
		this.redis = TestRedis.startNew();
	}

	@AfterEach
	void stopEverything() {
		if (this.child != null) {
			this.child.close();
		}
		this.redis.close();
	}

	@Test
	void aCancelFromAWebProcessStopsAJobSleepingInAnotherProcess() {
		this.child = ChildPool
			.start("cancel-pool", this.redis, "resque.pool.groups.g.queues=" + Rel.QUEUE,
					"resque.pool.groups.g.count=1", "resque.pool.poll-interval=100ms")
			.awaitReady(Duration.ofSeconds(40));
		try (StatefulRedisConnection<String, String> client = this.redis.connect();
				ConfigurableApplicationContext web = new SpringApplicationBuilder(WebProcess.class)
					.properties("server.port=0", "spring.data.redis.host=" + this.redis.host(),
							"spring.data.redis.port=" + this.redis.port(), "resque.pool.enabled=false",
							"resque.web.enabled=false", "management.endpoints.web.exposure.include=resquefleet",
							"management.endpoint.resquefleet.access=unrestricted")
					.run()) {
			ActuatorHttp http = new ActuatorHttp(
					web.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			Rel.push(client, List.of(RelJobs.payload("sleeper", 60_000), RelJobs.payload("next", 10)));
			Rel.await(Duration.ofSeconds(20), () -> Rel.inFlight(client).containsValue("sleeper"),
					() -> "the sleeper runs: " + Rel.inFlight(client));
			String worker = Rel.inFlight(client).keySet().iterator().next();

			assertThat(http.postJson("/actuator/resquefleet/cancel", "{\"worker\":\"\"}").status()).isEqualTo(400);
			assertThat(http.postJson("/actuator/resquefleet/cancel", "{\"jobId\":\"a\",\"worker\":\"b\"}").status())
				.isEqualTo(400);
			assertThat(client.sync().keys("resque:resquepool:cancel:*")).isEmpty();

			ActuatorHttp.Response answer = http.postJson("/actuator/resquefleet/cancel",
					"{\"worker\":\"" + worker + "\",\"timeout\":\"20s\"}");
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("pools").get(0).get("status").asString()).isEqualTo("applied");
			assertThat(answer.json().get("pools").get(0).get("id").asString()).isEqualTo(this.child.poolId());
			assertThat(client.sync().llen("resque:failed")).isEqualTo(1);
			assertThat(client.sync().lindex("resque:failed", 0)).contains("\"exception\":\"ResquePool::JobCancelled\"")
				.contains("\"payload\":" + RelJobs.payload("sleeper", 60_000));
			Rel.await(Duration.ofSeconds(20), () -> client.sync().lrange(RelJobs.DONE, 0, -1).contains("next"),
					() -> "the worker took its next job: " + client.sync().lrange(RelJobs.DONE, 0, -1));
			assertThat(client.sync().lrange(RelJobs.STARTED, 0, -1)).containsExactly("sleeper", "next");
			assertThat(client.sync().llen("resque:queue:" + Rel.QUEUE)).isZero();
			assertThat(client.sync().lrange(RelJobs.DONE, 0, -1)).containsExactly("next");

			Rel.await(Duration.ofSeconds(10), () -> Rel.inFlight(client).isEmpty(), () -> "the worker is idle");
			ActuatorHttp.Response idle = http.postJson("/actuator/resquefleet/cancel",
					"{\"worker\":\"" + worker + "\"}");
			assertThat(idle.status()).isEqualTo(200);
			assertThat(idle.json().get("pools").get(0).get("status").asString()).isEqualTo("failed");
			assertThat(idle.json().get("pools").get(0).get("message").asString()).contains("idle");
			// The cancelled job counts as processed and failed, as any failure entry
			// does.
			assertThat(client.sync().get("resque:stat:processed")).isEqualTo("2");
			assertThat(client.sync().get("resque:stat:failed")).isEqualTo("1");
		}
	}

	/** A web application with the starter and no pool, as a web dyno runs it. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebProcess {

	}

}
