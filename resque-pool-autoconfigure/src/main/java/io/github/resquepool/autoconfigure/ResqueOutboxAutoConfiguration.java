package io.github.resquepool.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.resquepool.client.DuplicateEnqueues;
import io.github.resquepool.health.ResqueOutboxHealthIndicator;
import io.github.resquepool.metrics.ResqueOutboxMetrics;
import io.github.resquepool.outbox.ResqueOutbox;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Auto-configuration of the transactional outbox
 * ({@code resque.pool.client.outbox.enabled=true}): with spring-jdbc on the class path
 * and one {@link DataSource}, the {@link ResqueOutbox} that the auto-configured
 * {@code ResqueClient} writes the enqueues of transactions into. Without them nothing of
 * it is loaded.
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration" })
@ConditionalOnClass({ RedisClient.class, JdbcTemplate.class })
@ConditionalOnBooleanProperty("resque.pool.client.outbox.enabled")
@ConditionalOnSingleCandidate(DataSource.class)
public final class ResqueOutboxAutoConfiguration {

	/** How long Redis keeps the marker of a delivered row whose deletion was not seen. */
	static final Duration MARKER_TTL = Duration.ofHours(1);

	@Bean
	@ConditionalOnMissingBean
	ResqueOutbox resqueOutbox(DataSource dataSource, ResqueRedis resqueRedis, ResquePoolProperties properties,
			ResqueThreads resqueThreads, ObjectProvider<DuplicateEnqueues> duplicates) {
		ClientProperties.Outbox settings = properties.getClient().getOutbox();
		check("poll-interval", settings.getPollInterval());
		check("claim-timeout", settings.getClaimTimeout());
		ResqueOutbox outbox = new ResqueOutbox(dataSource, resqueRedis, resqueThreads, duplicates.getIfUnique(),
				settings.getPollInterval(), settings.getClaimTimeout(), MARKER_TTL);
		outbox.initializeSchema(settings.getInitializeSchema());
		return outbox;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class OutboxMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResqueOutboxMetrics resqueOutboxMetrics(ResqueOutbox resqueOutbox) {
			return new ResqueOutboxMetrics(resqueOutbox);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("resqueoutbox")
	static class OutboxHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "resqueOutboxHealthIndicator", "resqueOutboxHealthContributor" })
		ResqueOutboxHealthIndicator resqueOutboxHealthIndicator(ResqueOutbox resqueOutbox,
				ResquePoolProperties properties) {
			Duration threshold = properties.getClient().getOutbox().getHealthThreshold();
			check("health-threshold", threshold);
			return new ResqueOutboxHealthIndicator(resqueOutbox, threshold);
		}

	}

	private static void check(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidResquePoolPropertyException("resque.pool.client.outbox." + name, value,
					"must be longer than zero", "Set a duration such as 1s.");
		}
	}

}
