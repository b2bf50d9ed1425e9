package io.github.resquepool.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.health.ResquePoolHealthIndicator;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Auto-configuration of the {@link ResquePoolHealthIndicator}, contributed as
 * {@code resquePool}; {@code management.health.resquepool.enabled=false} leaves it out.
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ ResquePool.class, ResqueRedis.class })
@ConditionalOnEnabledHealthIndicator("resquepool")
public final class ResquePoolHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "resquePoolHealthIndicator", "resquePoolHealthContributor" })
	ResquePoolHealthIndicator resquePoolHealthIndicator(ResquePool resquePool, ResqueRedis resqueRedis) {
		return new ResquePoolHealthIndicator(resquePool, resqueRedis.connectivity());
	}

}
