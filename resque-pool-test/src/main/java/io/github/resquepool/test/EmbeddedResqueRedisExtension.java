package io.github.resquepool.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

/**
 * The extension behind {@link EmbeddedResqueRedis}: starts the shared {@link TestRedis}
 * before the test class (so before Spring's context), sets {@code spring.data.redis.host}
 * and {@code spring.data.redis.port}, and flushes it before each test.
 */
public class EmbeddedResqueRedisExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

	private final RedisExtension redis = new RedisExtension();

	@Override
	public void beforeAll(ExtensionContext context) {
		TestRedis.shared().springProperties().forEach(System::setProperty);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.redis.beforeEach(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return this.redis.supportsParameter(parameterContext, extensionContext);
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return this.redis.resolveParameter(parameterContext, extensionContext);
	}

}
