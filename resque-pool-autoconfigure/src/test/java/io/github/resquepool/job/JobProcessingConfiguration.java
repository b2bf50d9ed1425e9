package io.github.resquepool.job;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * A {@link JobRegistry} and the {@link ResqueJobMethodProcessor} that fills it, for tests
 * that start an application context.
 */
@Configuration(proxyBeanMethods = false)
public class JobProcessingConfiguration {

	/**
	 * The registry.
	 * @return the registry
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	public static JobRegistry jobRegistry() {
		return new JobRegistry();
	}

	/**
	 * The processor, with Jackson's shared mapper.
	 * @param jobRegistry the registry
	 * @return the processor
	 */
	@Bean
	public static ResqueJobMethodProcessor resqueJobMethodProcessor(JobRegistry jobRegistry) {
		return new ResqueJobMethodProcessor(jobRegistry, JsonMapper::shared);
	}

}
