package io.github.resquepool.embedded;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension giving tests a clean {@linkplain TestRedis#shared() shared
 * Redis server}.
 *
 * <pre>{@code
 * &#64;ExtendWith(RedisExtension.class)
 * class QueueTests {
 *
 *   &#64;Test
 *   void pushes(TestRedis redis) {
 *     try (StatefulRedisConnection<String, String> connection = redis.connect()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>
 * Before each test it runs {@code FLUSHALL} on the shared server (restarting it first if
 * an earlier test stopped it), and it resolves parameters of type {@link TestRedis} in
 * test methods, lifecycle methods and test class constructors to the shared server.
 */
public final class RedisExtension implements BeforeEachCallback, ParameterResolver {

	/**
	 * Creates the extension; JUnit calls this for
	 * {@code @ExtendWith(RedisExtension.class)}.
	 */
	public RedisExtension() {
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		TestRedis redis = TestRedis.shared();
		if (redis.canRestart() && !redis.isRunning()) {
			redis.restart();
		}
		redis.flushAll();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == TestRedis.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return TestRedis.shared();
	}

}
