package io.github.resquepool.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier annotation for the
 * {@link org.springframework.data.redis.connection.RedisConnectionFactory} that Resque
 * uses, when it is not the application's only or primary one: put it on the {@code @Bean}
 * method of a Lettuce connection factory, in the manner of Spring Boot's
 * {@code @FlywayDataSource}.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface ResqueRedisConnectionFactory {

}
