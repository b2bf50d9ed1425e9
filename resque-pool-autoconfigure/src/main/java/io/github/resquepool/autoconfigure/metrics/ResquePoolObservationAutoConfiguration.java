package io.github.resquepool.autoconfigure.metrics;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.metrics.ResqueEnqueueObservation;
import io.github.resquepool.metrics.ResqueJobObservationConvention;
import io.github.resquepool.metrics.ResqueJobObservationInterceptor;

/**
 * Auto-configuration of the {@link ResqueJobObservationInterceptor}, which wraps each job
 * in an observation, when the application has an {@link ObservationRegistry} (Spring
 * Boot's {@code spring-boot-micrometer-observation}), with the application's
 * {@link ResqueJobObservationConvention} if it declares one; and of the
 * {@link ResqueEnqueueObservation}, which puts the caller's trace context into payloads,
 * with {@code resque.pool.client.propagate-trace=true}.
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class ResquePoolObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResqueJobObservationInterceptor resqueJobObservationInterceptor(ObservationRegistry observationRegistry,
			ObjectProvider<ResqueJobObservationConvention> convention) {
		return new ResqueJobObservationInterceptor(observationRegistry, convention.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("resque.pool.client.propagate-trace")
	ResqueEnqueueObservation resqueEnqueueObservation(ObservationRegistry observationRegistry) {
		return new ResqueEnqueueObservation(observationRegistry);
	}

}
