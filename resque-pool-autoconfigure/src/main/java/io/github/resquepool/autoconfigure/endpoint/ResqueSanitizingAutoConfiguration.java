package io.github.resquepool.autoconfigure.endpoint;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.resquepool.actuate.endpoint.ResqueSanitizingFunction;

/**
 * Auto-configuration that keeps resque-pool's passwords out of Actuator's {@code env} and
 * {@code configprops} endpoints, which pick up every {@link SanitizingFunction} bean.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ResqueSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResqueSanitizingFunction resqueSanitizingFunction() {
		return new ResqueSanitizingFunction();
	}

}
