package io.github.resquepool.actuate.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;

class ResquePoolEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=endpoint-unit", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.groups.only.queues=endpoint-unit",
				"resque.pool.groups.only.count=1", "resque.pool.max-workers=3");

	@Test
	void scaleWithoutAGroupScalesTheOnlyGroup() {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			ResquePoolActionDescriptor result = new ResquePoolEndpoint(pool, false).perform("scale", null, 2);
			assertThat(result.applied()).isTrue();
			assertThat(result.group()).isEqualTo("only");
			assertThat(result.changes()).containsExactly("scaled group 'only' from 1 to 2 workers");
			assertThat(pool.status().groups().get(0).count()).isEqualTo(2);
		});
	}

	@Test
	void scaleToTheCurrentCountIsAppliedWithoutChanges() {
		this.runner.run((context) -> {
			ResquePoolActionDescriptor result = new ResquePoolEndpoint(context.getBean(ResquePool.class), false)
				.perform("scale", "only", 1);
			assertThat(result.applied()).isTrue();
			assertThat(result.changes()).isEmpty();
		});
	}

	@Test
	void reloadWithoutNewConfigurationIsAppliedWithoutChanges() {
		this.runner.run((context) -> {
			ResquePoolActionDescriptor result = new ResquePoolEndpoint(context.getBean(ResquePool.class), false)
				.perform("reload", null, null);
			assertThat(result.applied()).isTrue();
			assertThat(result.changes()).isEmpty();
		});
	}

	@Test
	void reloadRefusesAGroupOrCount() {
		this.runner.run((context) -> {
			ResquePoolActionDescriptor result = new ResquePoolEndpoint(context.getBean(ResquePool.class), false)
				.perform("reload", "only", null);
			assertThat(result.applied()).isFalse();
			assertThat(result.message()).contains("reload takes no group or count");
		});
	}

}
