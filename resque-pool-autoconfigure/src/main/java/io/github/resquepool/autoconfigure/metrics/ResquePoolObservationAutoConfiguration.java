package io.github.resquepool.autoconfigure.metrics;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.metrics.ResqueJobObservationInterceptor;

/**
 * Auto-configuration of the {@link ResqueJobObservationInterceptor}, which wraps each job in an
 * observation, when the application has an {@link ObservationRegistry} (Spring Boot's
 * {@code spring-boot-micrometer-observation}).
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class ResquePoolObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResqueJobObservationInterceptor resqueJobObservationInterceptor(ObservationRegistry observationRegistry) {
		return new ResqueJobObservationInterceptor(observationRegistry);
	}

}
