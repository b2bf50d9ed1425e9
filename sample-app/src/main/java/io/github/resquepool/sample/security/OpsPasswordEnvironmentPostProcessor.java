package io.github.resquepool.sample.security;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * Refuses to start the application without an operators' password. The password
 * ({@code spring.security.user.password}, which {@code application.yml} reads from
 * {@code OPS_PASSWORD}) guards every write to the pool, the Resque dashboard and the
 * enqueueing demo endpoints, so the packaged application has no default one: only the
 * {@code dev} profile supplies a development password. Runs after the configuration files
 * are read and before the embedded Redis starts, so a missing password stops the start
 * before anything runs. Registered in {@code META-INF/spring.factories}.
 */
public class OpsPasswordEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PASSWORD_PROPERTY = "spring.security.user.password";

	@Override
	public int getOrder() {
		// Before EmbeddedRedisEnvironmentPostProcessor (the lowest precedence).
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!StringUtils.hasText(environment.getProperty(PASSWORD_PROPERTY))) {
			throw new MissingOpsPasswordException();
		}
	}

}
