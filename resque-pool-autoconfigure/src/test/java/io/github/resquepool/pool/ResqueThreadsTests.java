package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.autoconfigure.metrics.ResquePoolMetricsAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.thread.ResqueThreads;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool takes its threads from the {@code resqueThreads} bean, which an application
 * may replace, and names them as the architecture says.
 */
@ExtendWith(RedisExtension.class)
class ResqueThreadsTests {

	@Test
	void thePoolUsesTheDefaultBeanUnlessReplaced(TestRedis redis) {
		PoolTestSupport.runner(redis)
			.run((context) -> assertThat(context.getBean(ResqueThreads.class)).isSameAs(ResqueThreads.standard()));
	}

	@Test
	void aReplacedBeanMakesThePoolsThreadsWithTheirNames(TestRedis redis) {
		RecordingThreads threads = new RecordingThreads();
		PoolTestSupport.runner(redis)
			.withBean(ResqueThreads.class, () -> threads)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				eventually(Duration.ofSeconds(10), () -> assertThat(pool.status().workers()).hasSize(1));
				String worker = pool.status().workers().get(0).id();
				assertThat(threads.made).contains("resque-pool", "resque-pool-liveness", worker);
			});
		assertThat(threads.made).contains("resque-pool-shutdown");
	}

	@Test
	void aReplacedBeanMakesTheRedisSchedulerAndMetricsThreadsWithTheirNames(TestRedis redis) {
		RecordingThreads threads = new RecordingThreads();
		PoolTestSupport.runner(redis)
			.withConfiguration(AutoConfigurations.of(ResqueSchedulerAutoConfiguration.class,
					ResquePoolMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ResqueThreads.class, () -> threads)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=1",
					"resque.pool.wake-up=blocking")
			.run((context) -> {
				ResquePool pool = context.getBean(ResquePool.class);
				eventually(Duration.ofSeconds(10), () -> assertThat(pool.status().workers()).hasSize(1));
				eventually(Duration.ofSeconds(10),
						() -> assertThat(threads.made).contains("resque-pool-connect", "resque-pool-fetch-work",
								"resque-pool-fetch-work-2", "resque-pool-wait-work-q", "resque-scheduler",
								"resque-queue-metrics"));
			});
	}

	/** Makes threads as the JDK does, and records their names. */
	static final class RecordingThreads implements ResqueThreads {

		final List<String> made = new CopyOnWriteArrayList<>();

		@Override
		public Thread platform(String name, boolean daemon, Runnable task) {
			this.made.add(name);
			return ResqueThreads.standard().platform(name, daemon, task);
		}

		@Override
		public Thread virtual(String name, Runnable task) {
			this.made.add(name);
			return ResqueThreads.standard().virtual(name, task);
		}

	}

}
