package io.github.resquepool.autoconfigure.endpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resquepool.actuate.endpoint.ResqueFleetEndpoint;
import io.github.resquepool.actuate.endpoint.ResqueFleetEndpointWebExtension;
import io.github.resquepool.actuate.endpoint.ResquePoolEndpoint;
import io.github.resquepool.actuate.endpoint.ResquePoolEndpointWebExtension;
import io.github.resquepool.actuate.endpoint.ResquePoolOperationInvokerAdvisor;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResquePoolProperties;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.outbox.ResqueOutbox;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.scheduler.ResqueScheduler;

/**
 * Auto-configuration of the {@link ResquePoolEndpoint} (when the pool runs) and the
 * {@link ResqueFleetEndpoint} (in every process on the Redis), when Actuator is on the
 * class path and the endpoint is available ({@code management.endpoint.resquepool.access}
 * and {@code management.endpoints.web.exposure.include} or
 * {@code management.endpoints.jmx.exposure.include}).
 */
@AutoConfiguration(after = { ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class ResquePoolEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(ResquePoolEndpoint.class)
	ResquePoolEndpoint resquePoolEndpoint(ResquePool resquePool, ResquePoolProperties properties,
			ObjectProvider<ResqueScheduler> resqueScheduler, ObjectProvider<ResqueOutbox> resqueOutbox) {
		ResqueOutbox outbox = resqueOutbox.getIfUnique();
		return new ResquePoolEndpoint(resquePool, properties.getEndpoint().isShowArgs(), resqueScheduler.getIfUnique(),
				(outbox != null) ? outbox::view : null);
	}

	@Bean
	@ConditionalOnBean(ResquePoolEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	ResquePoolEndpointWebExtension resquePoolEndpointWebExtension(ResquePoolEndpoint resquePoolEndpoint) {
		return new ResquePoolEndpointWebExtension(resquePoolEndpoint);
	}

	@Bean
	@ConditionalOnMissingBean
	static ResquePoolOperationInvokerAdvisor resquePoolOperationInvokerAdvisor() {
		return new ResquePoolOperationInvokerAdvisor();
	}

	/**
	 * The fleet endpoint, in every process on the Redis, with or without a pool of its
	 * own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(ResqueFleetEndpoint.class)
	static class FleetEndpointConfiguration {

		@Bean
		@ConditionalOnBean(ResqueFleet.class)
		@ConditionalOnMissingBean
		ResqueFleetEndpoint resqueFleetEndpoint(ResqueFleet resqueFleet) {
			return new ResqueFleetEndpoint(resqueFleet);
		}

		@Bean
		@ConditionalOnBean(ResqueFleetEndpoint.class)
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		ResqueFleetEndpointWebExtension resqueFleetEndpointWebExtension(ResqueFleetEndpoint resqueFleetEndpoint) {
			return new ResqueFleetEndpointWebExtension(resqueFleetEndpoint);
		}

	}

}
