package io.github.resquepool.metrics;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResqueQueueMetricsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=metrics-queues", "resque.pool.enabled=false");

	@Test
	void eachWatchedQueueHasASizeGaugeReadAtEachRefreshOnly() {
		this.runner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ResqueQueueMetrics metrics = new ResqueQueueMetrics(context.getBean(ResqueRedis.class),
					() -> List.of(QueueSpec.parse("mail*,!low"), QueueSpec.parse("critical")), Duration.ofHours(1),
					200);
			metrics.bindTo(registry);
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				client.sync().del("metrics-queues:queues");
				push(client, "mail", 3);
				push(client, "mail_bulk", 1);
				push(client, "low", 2);
				metrics.refresh();
				assertThat(size(registry, "mail")).isEqualTo(3);
				assertThat(size(registry, "mail_bulk")).isEqualTo(1);
				assertThat(size(registry, "critical")).isZero();
				assertThat(registry.find("resque.queue.size").tag("queue", "low").gauge()).isNull();
				client.sync().lpop("metrics-queues:queue:mail");
				assertThat(size(registry, "mail")).as("a scrape does not read Redis").isEqualTo(3);
				metrics.refresh();
				assertThat(size(registry, "mail")).isEqualTo(2);
				client.sync().srem("metrics-queues:queues", "mail_bulk");
				metrics.refresh();
				assertThat(registry.find("resque.queue.size").tag("queue", "mail_bulk").gauge()).isNull();
			}
		});
	}

	@Test
	void withoutAPoolEveryQueueOfTheQueuesSetIsWatchedUpToTheLimit() {
		this.runner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ResqueQueueMetrics metrics = new ResqueQueueMetrics(context.getBean(ResqueRedis.class), List::of,
					Duration.ofHours(1), 2);
			metrics.bindTo(registry);
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				client.sync().del("metrics-queues:queues");
				push(client, "a", 1);
				push(client, "b", 2);
				push(client, "c", 3);
				metrics.refresh();
				assertThat(registry.find("resque.queue.size").gauges()).hasSize(2);
				assertThat(size(registry, "b")).isEqualTo(2);
			}
		});
	}

	@Test
	void onceStartedSizesAreReadInTheBackgroundUntilStopped() {
		this.runner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ResqueQueueMetrics metrics = new ResqueQueueMetrics(context.getBean(ResqueRedis.class), List::of,
					Duration.ofMillis(50), 200);
			metrics.bindTo(registry);
			try (StatefulRedisConnection<String, String> client = TestRedis.shared().connect()) {
				client.sync().del("metrics-queues:queues");
				push(client, "background", 1);
				metrics.start();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> registry.find("resque.queue.size").tag("queue", "background").gauge() != null);
				push(client, "background", 4);
				await().atMost(Duration.ofSeconds(5)).until(() -> size(registry, "background") == 4);
				metrics.stop();
				assertThat(metrics.isRunning()).isFalse();
			}
		});
	}

	private static double size(SimpleMeterRegistry registry, String queue) {
		return registry.get("resque.queue.size").tag("queue", queue).gauge().value();
	}

	private static void push(StatefulRedisConnection<String, String> client, String queue, int count) {
		client.sync().sadd("metrics-queues:queues", queue);
		client.sync().del("metrics-queues:queue:" + queue);
		for (int i = 0; i < count; i++) {
			client.sync().rpush("metrics-queues:queue:" + queue, "{\"class\":\"X\",\"args\":[]}");
		}
	}

}
