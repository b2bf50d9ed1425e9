package io.github.resquepool.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Redis server without Docker (the Redis binary of
 * {@code resque-pool-embedded-redis}, or {@code TEST_REDIS_URL} when set), shared by all
 * test classes of the JVM and flushed before each test, and points Spring Boot at it
 * ({@code spring.data.redis.host} and {@code port} as system properties), so that a
 * {@code @SpringBootTest} below it connects there. Declare it before
 * {@code @SpringBootTest}. Test methods may take a
 * {@link io.github.resquepool.embedded.TestRedis} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedResqueRedisExtension.class)
public @interface EmbeddedResqueRedis {

}
