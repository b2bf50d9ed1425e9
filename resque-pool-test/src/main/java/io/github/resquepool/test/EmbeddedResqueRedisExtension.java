package io.github.resquepool.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

/**
 * The extension behind {@link EmbeddedResqueRedis}: starts the shared {@link TestRedis}
 * before the test class, and so before Spring's test context, sets
 * {@code spring.data.redis.host} and {@code spring.data.redis.port} as system properties,
 * flushes it before each test, and after the test class gives those system properties
 * back the values they had, so that a later test class of the same JVM without the
 * annotation sees no Redis configured. With {@code @TestInstance(Lifecycle.PER_CLASS)},
 * where the test instance (and with it Spring's context) is made before any
 * {@code @BeforeAll}, it points Spring at the server just before the instance is made.
 */
public class EmbeddedResqueRedisExtension implements TestInstancePreConstructCallback, BeforeAllCallback,
		AfterAllCallback, BeforeEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(EmbeddedResqueRedisExtension.class);

	private static final String PREVIOUS = "previousSystemProperties";

	private final RedisExtension redis = new RedisExtension();

	@Override
	public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
		if (context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS) {
			pointSpringAtRedis(context);
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		pointSpringAtRedis(context);
	}

	private void pointSpringAtRedis(ExtensionContext context) {
		Map<String, String> properties = TestRedis.shared().springProperties();
		if (context != null && context.getStore(NAMESPACE).get(PREVIOUS) == null) {
			Map<String, String> previous = new LinkedHashMap<>();
			properties.forEach((key, value) -> previous.put(key, System.getProperty(key)));
			context.getStore(NAMESPACE).put(PREVIOUS, previous);
		}
		properties.forEach(System::setProperty);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterAll(ExtensionContext context) {
		Map<String, String> previous = context.getStore(NAMESPACE).remove(PREVIOUS, Map.class);
		if (previous == null) {
			return;
		}
		previous.forEach((key, value) -> {
			if (value != null) {
				System.setProperty(key, value);
			}
			else {
				System.clearProperty(key);
			}
		});
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
