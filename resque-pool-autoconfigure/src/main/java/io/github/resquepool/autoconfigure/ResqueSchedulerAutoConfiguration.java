package io.github.resquepool.autoconfigure;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.resquepool.metrics.ResqueSchedulerMetrics;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.scheduler.RecurringSchedules;
import io.github.resquepool.scheduler.ResqueScheduler;
import io.github.resquepool.scheduler.SchedulerListener;
import io.github.resquepool.scheduler.SchedulerSettings;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Auto-configuration of the pool's resque-scheduler peer ({@code resque.scheduler.*}): on
 * by default wherever the pool runs, off with {@code resque.scheduler.enabled=false} or
 * {@code resque.pool.enabled=false}.
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(ResqueRedis.class)
@ConditionalOnBooleanProperty(name = "resque.pool.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "resque.scheduler.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResqueSchedulerProperties.class)
public final class ResqueSchedulerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecurringSchedules resqueRecurringSchedules(ResqueSchedulerProperties properties, Environment environment) {
		return ScheduleDefinitions.create(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueScheduler resqueScheduler(ResqueRedis resqueRedis, ResqueSchedulerProperties properties,
			ResquePoolProperties poolProperties, RecurringSchedules resqueRecurringSchedules,
			ObjectProvider<SchedulerListener> listeners, ObjectProvider<ResqueThreads> resqueThreads) {
		SchedulerSettings settings;
		try {
			settings = new SchedulerSettings(properties.getPollInterval(), properties.getLockTimeout(),
					properties.getLockPrefix(), properties.getBatchSize(), poolProperties.getHostname());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidResquePoolPropertyException("resque.scheduler", null, ex.getMessage(),
					"Set resque.scheduler.poll-interval, lock-timeout and batch-size to positive values, with the "
							+ "lock timeout at least twice the poll interval.");
		}
		ResqueScheduler scheduler = new ResqueScheduler(resqueRedis, settings, resqueRecurringSchedules,
				listeners.orderedStream().toList(), Clock.systemUTC(),
				resqueThreads.getIfAvailable(ResqueThreads::standard));
		listeners.orderedStream()
			.filter(ResqueSchedulerMetrics.class::isInstance)
			.forEach((metrics) -> ((ResqueSchedulerMetrics) metrics).bind(scheduler));
		return scheduler;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class SchedulerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResqueSchedulerMetrics resqueSchedulerMetrics(MeterRegistry meterRegistry) {
			return new ResqueSchedulerMetrics(meterRegistry, Clock.systemUTC());
		}

	}

}
