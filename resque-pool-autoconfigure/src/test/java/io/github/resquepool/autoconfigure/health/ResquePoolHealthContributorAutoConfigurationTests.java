package io.github.resquepool.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.health.ResquePoolHealthIndicator;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class ResquePoolHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, ResquePoolHealthContributorAutoConfiguration.class))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=health-autoconfig",
				"resque.pool.groups.work.queues=health-autoconfig", "resque.pool.groups.work.count=0");

	@Test
	void runShouldContributeResquePool() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResquePoolHealthIndicator.class)
			.hasBean("resquePoolHealthIndicator"));
	}

	@Test
	void runWhenDisabledShouldNotContribute() {
		this.runner.withPropertyValues("management.health.resquepool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResquePoolHealthIndicator.class));
	}

	@Test
	void runWhenDefaultIndicatorsAreDisabledShouldNotContribute() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResquePoolHealthIndicator.class));
	}

	@Test
	void runWhenThePoolIsDisabledShouldNotContribute() {
		this.runner.withPropertyValues("resque.pool.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResquePoolHealthIndicator.class));
	}

	@Test
	void runWithoutSpringBootHealthShouldNotContribute() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResquePool.class)
				.doesNotHaveBean(ResquePoolHealthIndicator.class));
	}

	@Test
	void runWithAUserIndicatorShouldBackOff() {
		this.runner.withBean("resquePoolHealthIndicator", HealthIndicator.class, () -> mock(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ResquePoolHealthIndicator.class)
				.hasBean("resquePoolHealthIndicator"));
	}

}
