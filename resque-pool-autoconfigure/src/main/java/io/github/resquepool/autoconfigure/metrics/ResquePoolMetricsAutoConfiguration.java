package io.github.resquepool.autoconfigure.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.metrics.ResqueDuplicateMetrics;
import io.github.resquepool.metrics.ResqueJobMetrics;
import io.github.resquepool.metrics.ResqueJobObservationInterceptor;
import io.github.resquepool.metrics.ResqueLimitMetrics;
import io.github.resquepool.metrics.ResqueQueueMetrics;
import io.github.resquepool.metrics.ResqueWorkerMetrics;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Auto-configuration of the pool's Micrometer meters, when Micrometer is on the class
 * path and the application has a {@link MeterRegistry} (Spring Boot's
 * {@code spring-boot-micrometer-metrics}, which the Actuator starter brings). The job and
 * worker meters are pool listeners, there when the pool runs; the queue sizes are bound
 * as a {@code MeterBinder}, also in an application that only enqueues
 * ({@code resque.pool.enabled=false}), where every queue is watched.
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ResqueRedis.class })
public final class ResquePoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnMissingBean
	ResqueJobMetrics resqueJobMetrics(MeterRegistry meterRegistry,
			ObjectProvider<ResqueJobObservationInterceptor> observationInterceptor) {
		// The job's observation already records a timer (resque.job.execution) through
		// Boot's
		// meter observation handler; a second one per job would only double the series.
		return new ResqueJobMetrics(meterRegistry, ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES,
				observationInterceptor.getIfAvailable() == null);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueDuplicateMetrics resqueDuplicateMetrics(MeterRegistry meterRegistry) {
		return new ResqueDuplicateMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnMissingBean
	ResqueWorkerMetrics resqueWorkerMetrics(MeterRegistry meterRegistry) {
		return new ResqueWorkerMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueQueueMetrics resqueQueueMetrics(ResqueRedis resqueRedis, ObjectProvider<ResquePool> resquePool,
			ObjectProvider<ResqueThreads> resqueThreads) {
		return new ResqueQueueMetrics(resqueRedis, () -> watched(resquePool),
				ResqueQueueMetrics.DEFAULT_REFRESH_INTERVAL, ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES,
				resqueThreads.getIfAvailable(ResqueThreads::standard));
	}

	@Bean
	@ConditionalOnBean(ResqueFleet.class)
	@ConditionalOnMissingBean
	ResqueLimitMetrics resqueLimitMetrics(ResqueFleet resqueFleet, ObjectProvider<ResqueThreads> resqueThreads) {
		return new ResqueLimitMetrics(resqueFleet::limits, ResqueQueueMetrics.DEFAULT_REFRESH_INTERVAL,
				ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES, resqueThreads.getIfAvailable(ResqueThreads::standard));
	}

	private static List<QueueSpec> watched(ObjectProvider<ResquePool> resquePool) {
		ResquePool pool = resquePool.getIfAvailable();
		if (pool == null) {
			return List.of();
		}
		return pool.status().groups().stream().map((group) -> QueueSpec.parse(group.queues())).toList();
	}

}
