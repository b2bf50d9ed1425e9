package io.github.resquepool.autoconfigure;

import java.time.Clock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.ResqueJobMethodProcessor;
import io.github.resquepool.pool.PoolListener;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Auto-configuration of the Resque client and worker pool, on Spring Boot's own Redis
 * connection ({@code spring.data.redis.*}, connection details, Lettuce).
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class })
@EnableConfigurationProperties(ResquePoolProperties.class)
public final class ResquePoolAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static JobRegistry resqueJobRegistry() {
		return new JobRegistry();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ResqueJobMethodProcessor resqueJobMethodProcessor(JobRegistry resqueJobRegistry,
			ObjectProvider<JsonMapper> jsonMapper) {
		return new ResqueJobMethodProcessor(resqueJobRegistry, () -> mapper(jsonMapper));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ResqueRedis resqueRedis(RedisConnectionFactory redisConnectionFactory, ResquePoolProperties properties) {
		PoolSettingsFactory.checkNamespace(properties.getNamespace());
		if (!(redisConnectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new InvalidResquePoolPropertyException("spring.data.redis.client-type",
					redisConnectionFactory.getClass().getSimpleName(), "resque-pool needs Spring Boot's Lettuce client",
					"Set spring.data.redis.client-type=lettuce (or remove Jedis from the class path).");
		}
		AbstractRedisClient client = lettuce.getNativeClient();
		if (!(client instanceof RedisClient redisClient)) {
			throw new InvalidResquePoolPropertyException("spring.data.redis.cluster.nodes", "cluster",
					"Resque keeps its data on one Redis and its scripts touch many keys, which a cluster does not allow",
					"Point spring.data.redis.* at a standalone Redis or a Sentinel-managed primary.");
		}
		return new ResqueRedis(redisClient, new ResqueKeys(properties.getNamespace()), properties.getCommandTimeout(),
				new Connectivity(Clock.systemUTC()));
	}

	@Bean
	ResqueRedisLifecycle resqueRedisLifecycle(ResqueRedis resqueRedis) {
		return new ResqueRedisLifecycle(resqueRedis);
	}

	@Bean
	@ConditionalOnMissingBean
	JobInvoker resqueJobInvoker(JobRegistry resqueJobRegistry, ObjectProvider<JobInterceptor> interceptors,
			ObjectProvider<JsonMapper> jsonMapper) {
		return new JobInvoker(resqueJobRegistry, interceptors.orderedStream().toList(), () -> mapper(jsonMapper));
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueClient resqueClient(ResqueRedis resqueRedis, ObjectProvider<JsonMapper> jsonMapper,
			ResquePoolProperties properties) {
		return new ResqueClient(resqueRedis, mapper(jsonMapper), properties.getClient().isEnqueuedAt());
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueFailures resqueFailures(ResqueRedis resqueRedis) {
		return new ResqueFailures(resqueRedis);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resque.pool.enabled", matchIfMissing = true)
	ResquePool resquePool(ResqueRedis resqueRedis, JobRegistry resqueJobRegistry, JobInvoker resqueJobInvoker,
			ResquePoolProperties properties, Environment environment, ApplicationEventPublisher events,
			ObjectProvider<PoolListener> listeners) {
		PoolSettingsFactory settings = new PoolSettingsFactory(environment);
		return new ResquePool(resqueRedis, resqueJobRegistry, resqueJobInvoker, settings.create(properties),
				settings::reload, events, listeners.orderedStream().toList(), properties.getHostname());
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

}
