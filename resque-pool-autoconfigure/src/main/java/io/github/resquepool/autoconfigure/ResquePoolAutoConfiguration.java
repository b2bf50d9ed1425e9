package io.github.resquepool.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.resquepool.client.DuplicateEnqueues;
import io.github.resquepool.client.EnqueueOutbox;
import io.github.resquepool.client.EnqueueTracing;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.ResqueJobMethodProcessor;
import io.github.resquepool.job.ResqueUniqueMethodProcessor;
import io.github.resquepool.job.UniqueJobs;
import io.github.resquepool.pool.ClassLimits;
import io.github.resquepool.pool.DryRun;
import io.github.resquepool.pool.PoolEvents;
import io.github.resquepool.pool.PoolIdentity;
import io.github.resquepool.pool.PoolListener;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.Connectivity;
import io.github.resquepool.resque.QueueLimit;
import io.github.resquepool.resque.ResqueConnection;
import io.github.resquepool.resque.ResqueKeys;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;
import io.github.resquepool.unique.UniqueJobInterceptor;

/**
 * Auto-configuration of the Resque client and worker pool: on Spring Boot's own Redis
 * connection ({@code spring.data.redis.*}, connection details, Lettuce) by default, on
 * the connection factory qualified with {@link ResqueRedisConnectionFactory}, or on a
 * Redis of Resque's own ({@code resque.redis.url}).
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class })
@EnableConfigurationProperties({ ResquePoolProperties.class, ResqueRedisProperties.class })
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

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static UniqueJobs resqueUniqueJobs(JobRegistry resqueJobRegistry, ObjectProvider<JsonMapper> jsonMapper) {
		return new UniqueJobs(resqueJobRegistry, () -> mapper(jsonMapper));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ResqueUniqueMethodProcessor resqueUniqueMethodProcessor(UniqueJobs resqueUniqueJobs) {
		return new ResqueUniqueMethodProcessor(resqueUniqueJobs);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resque.pool.enabled", matchIfMissing = true)
	UniqueJobInterceptor resqueUniqueJobInterceptor(UniqueJobs resqueUniqueJobs, ResqueRedis resqueRedis) {
		return new UniqueJobInterceptor(resqueUniqueJobs, resqueRedis.unique());
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueLettuceClient resqueLettuceClient(ResqueRedisProperties redisProperties,
			@ResqueRedisConnectionFactory ObjectProvider<RedisConnectionFactory> resqueConnectionFactory,
			ObjectProvider<RedisConnectionFactory> connectionFactories, ObjectProvider<ClientResources> clientResources,
			ObjectProvider<SslBundles> sslBundles, Environment environment, ListableBeanFactory beanFactory) {
		RedisConnectionFactory chosen = resqueConnectionFactory.getIfUnique();
		if (chosen != null) {
			return ResqueLettuceClient.of(chosen, "@ResqueRedisConnectionFactory");
		}
		if (redisProperties.getUrl() != null && !redisProperties.getUrl().isBlank()) {
			return ResqueLettuceClient.dedicated(redisProperties, clientResources.getIfUnique(),
					sslBundles.getIfAvailable());
		}
		RedisConnectionFactory unique = connectionFactories.getIfUnique();
		if (unique == null) {
			List<String> names = List.of(beanFactory.getBeanNamesForType(RedisConnectionFactory.class));
			if (names.isEmpty()) {
				throw new InvalidResquePoolPropertyException("resque.redis.url", null,
						"there is no Redis connection factory and no Redis of Resque's own",
						"Add spring-boot-starter-data-redis with spring.data.redis.*, or set resque.redis.url.");
			}
			throw new NoUniqueResqueRedisException(names);
		}
		ResqueLettuceClient.checkNotMasterReplica(Binder.get(environment)
			.bind("spring.data.redis.masterreplica.nodes", Bindable.listOf(String.class))
			.orElse(List.of()));
		return ResqueLettuceClient.of(unique, "the application's Redis connection factory");
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ResqueRedis resqueRedis(ResqueLettuceClient resqueLettuceClient, ResquePoolProperties properties,
			ResqueRedisProperties redisProperties, ObjectProvider<ResqueThreads> resqueThreads) {
		PoolSettingsFactory.checkNamespace(properties.getNamespace());
		Duration timeout = (redisProperties.getTimeout() != null) ? redisProperties.getTimeout()
				: properties.getCommandTimeout();
		ResqueConnection connection = new ResqueConnection(resqueLettuceClient, timeout,
				new Connectivity(Clock.systemUTC()), resqueThreads.getIfAvailable(ResqueThreads::standard));
		long maxPayloadSize = properties.getMaxPayloadSize().toBytes();
		if (maxPayloadSize < 1) {
			throw new InvalidResquePoolPropertyException("resque.pool.max-payload-size", properties.getMaxPayloadSize(),
					"must be at least 1B", "Set the largest job payload a worker takes to run, such as 10MB.");
		}
		return new ResqueRedis(connection, new ResqueKeys(properties.getNamespace()), maxPayloadSize);
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
			ResquePoolProperties properties, ObjectProvider<EnqueueTracing> enqueueTracing, UniqueJobs resqueUniqueJobs,
			ObjectProvider<DuplicateEnqueues> duplicates, ObjectProvider<EnqueueOutbox> outbox) {
		EnqueueOutbox enqueueOutbox = outbox.getIfUnique();
		if (properties.getClient().getOutbox().isEnabled() && enqueueOutbox == null) {
			throw new InvalidResquePoolPropertyException("resque.pool.client.outbox.enabled", true,
					"the outbox needs spring-jdbc and one DataSource, and the application has not both",
					"Add spring-boot-starter-jdbc (or your JPA starter) and a DataSource, or turn the outbox off.");
		}
		return new ResqueClient(resqueRedis, mapper(jsonMapper), properties.getClient().isEnqueuedAt(),
				properties.getClient().isEnqueueAfterCommit(), enqueueTracing.getIfUnique(), resqueUniqueJobs,
				duplicates.getIfUnique(), enqueueOutbox);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueFailures resqueFailures(ResqueRedis resqueRedis) {
		return new ResqueFailures(resqueRedis);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueFleet resqueFleet(ResqueRedis resqueRedis, ResquePoolProperties properties, JobRegistry resqueJobRegistry) {
		java.util.Set<String> configured = java.util.Set.copyOf(properties.getGroups().keySet());
		int maxWaitingWrites = properties.getFleet().getMaxWaitingWrites();
		if (maxWaitingWrites < 0) {
			throw new InvalidResquePoolPropertyException("resque.pool.fleet.max-waiting-writes", maxWaitingWrites,
					"must be 0 or more", "Set how many fleet writes may wait for acknowledgements at once.");
		}
		ResqueFleet fleet = new ResqueFleet(resqueRedis, properties.getFleet().getAckTimeout(),
				properties.getRecoveryTimeout(), () -> configured,
				PoolIdentity.create(properties.getHostname()).hostname(), properties.getMaxWorkers(), maxWaitingWrites);
		fleet.limitsKnownHere(() -> queueLimits(properties),
				() -> ClassLimits.withoutKey(resqueJobRegistry).values().stream().flatMap(List::stream).toList());
		return fleet;
	}

	private static Map<String, QueueLimit> queueLimits(ResquePoolProperties properties) {
		Map<String, QueueLimit> limits = new LinkedHashMap<>();
		properties.getQueueLimits().forEach((queue, value) -> {
			try {
				limits.put(queue, QueueLimit.parse(value));
			}
			catch (IllegalArgumentException ex) {
				// A pool refuses to start with it; a process without one shows none.
			}
		});
		return limits;
	}

	@Bean
	@ConditionalOnBooleanProperty("resque.pool.dry-run")
	ResquePoolDryRunner resquePoolDryRunner(ResqueRedis resqueRedis, ResquePoolProperties properties,
			Environment environment, org.springframework.context.ApplicationContext context) {
		DryRun dryRun = new DryRun(new PoolSettingsFactory(environment).create(properties), resqueRedis);
		return new ResquePoolDryRunner(dryRun, context, System::exit);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueThreads resqueThreads() {
		return ResqueThreads.standard();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resque.pool.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "resque.pool.dry-run", havingValue = false, matchIfMissing = true)
	ResquePool resquePool(ResqueRedis resqueRedis, JobRegistry resqueJobRegistry, JobInvoker resqueJobInvoker,
			ResquePoolProperties properties, Environment environment, ApplicationEventPublisher events,
			ObjectProvider<PoolListener> listeners, ResqueThreads resqueThreads) {
		PoolSettingsFactory settings = new PoolSettingsFactory(environment);
		return new ResquePool(resqueRedis, resqueJobRegistry, resqueJobInvoker, settings.create(properties),
				settings::reload, PoolEvents.publishing(events, listeners.orderedStream().toList()),
				properties.getHostname(), resqueThreads);
	}

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnMissingBean
	MemoryLimitExit resquePoolMemoryLimitExit(ApplicationContext context, ResqueThreads resqueThreads) {
		return new MemoryLimitExit(context, resqueThreads);
	}

	@Bean
	@ConditionalOnBean(ResquePool.class)
	@ConditionalOnBooleanProperty("resque.pool.signals.enabled")
	PoolSignalsLifecycle resquePoolSignals(ResquePool resquePool, ResqueThreads resqueThreads) {
		return new PoolSignalsLifecycle(resquePool, resqueThreads);
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

}
