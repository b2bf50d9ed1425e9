package io.github.resquepool.autoconfigure.endpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.actuate.endpoint.ResquePoolEndpoint;
import io.github.resquepool.actuate.endpoint.ResquePoolEndpointWebExtension;
import io.github.resquepool.actuate.endpoint.ResquePoolOperationInvokerAdvisor;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResquePoolProperties;
import io.github.resquepool.pool.ResquePool;

/**
 * Auto-configuration of the {@link ResquePoolEndpoint}, when Actuator is on the class path, the
 * pool runs, and the endpoint is available ({@code management.endpoint.resquepool.access} and
 * {@code management.endpoints.web.exposure.include} or {@code management.endpoints.jmx.exposure.include}).
 */
@AutoConfiguration(after = ResquePoolAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(ResquePoolEndpoint.class)
public final class ResquePoolEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnMissingBean
	ResquePoolEndpoint resquePoolEndpoint(ResquePool resquePool, ResquePoolProperties properties) {
		return new ResquePoolEndpoint(resquePool, properties.getEndpoint().isShowArgs());
	}

	@Bean
	@ConditionalOnBean(ResquePoolEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	ResquePoolEndpointWebExtension resquePoolEndpointWebExtension(ResquePoolEndpoint resquePoolEndpoint) {
		return new ResquePoolEndpointWebExtension(resquePoolEndpoint);
	}

	@Bean
	@ConditionalOnBean(ResquePoolEndpoint.class)
	@ConditionalOnMissingBean
	static ResquePoolOperationInvokerAdvisor resquePoolOperationInvokerAdvisor() {
		return new ResquePoolOperationInvokerAdvisor();
	}

}
