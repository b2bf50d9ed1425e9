package io.github.resquepool.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Redis server, the
 * {@link io.github.resquepool.embedded.TestRedis} shared by all test classes of the JVM
 * (a Testcontainers {@code redis:7} container when Testcontainers is on the class path
 * and Docker answers, otherwise the Redis binary of {@code resque-pool-embedded-redis},
 * otherwise the server named by {@code RESQUE_TEST_REDIS_URL}), flushed before each test,
 * and points Spring Boot at it ({@code spring.data.redis.host} and {@code port} as system
 * properties, given back their earlier values after the class), so that a
 * {@code @SpringBootTest} on the same class connects there. It may stand before or after
 * {@code @SpringBootTest}, and works with either test instance lifecycle. Test methods
 * may take a {@link io.github.resquepool.embedded.TestRedis} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedResqueRedisExtension.class)
public @interface EmbeddedResqueRedis {

}
