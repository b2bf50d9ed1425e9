package io.github.resquepool.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class ResquePoolAutoConfigurationTests {

	private final ApplicationContextRunner runner;

	ResquePoolAutoConfigurationTests(TestRedis redis) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues());
	}

	@Test
	void issueExampleYamlBindsExactlyAsWritten() {
		this.runner.withInitializer(yaml()).run((context) -> {
			assertThat(groups(context)).containsExactly("critical [high,normal] x2", "default [*] x5");
			assertThat(context.getBean(ResqueRedis.class).keys().queue("mail")).isEqualTo("resque:queue:mail");
		});
	}

	@Test
	void anEnvironmentVariableOverridesOneFieldOnly() {
		this.runner.withInitializer(yaml())
			.withInitializer(environment(Map.of("RESQUE_POOL_GROUPS_DEFAULT_COUNT", "10")))
			.run((context) -> assertThat(groups(context)).containsExactly("critical [high,normal] x2",
					"default [*] x10"));
	}

	@Test
	void placeholdersInTheYamlReadTheEnvironment() {
		this.runner.withInitializer(yaml())
			.withInitializer(environment(Map.of("WORKER_CONCURRENCY", "7")))
			.run((context) -> assertThat(groups(context)).containsExactly("critical [high,normal] x2",
					"default [*] x7"));
	}

	@Test
	void withoutGroupsOneDefaultGroupWorksEveryQueue() {
		this.runner.run((context) -> assertThat(groups(context)).containsExactly("default [*] x5"));
	}

	@Test
	void disabledPoolKeepsTheClientButStartsNoWorkers() {
		this.runner.withInitializer(environment(Map.of("RESQUE_POOL_ENABLED", "false"))).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ResquePool.class);
			assertThat(context).hasSingleBean(ResqueClient.class).hasSingleBean(ResqueFailures.class);
		});
	}

	@Test
	void backsOffWithoutLettuce() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ResqueClient.class)
				.doesNotHaveBean(ResquePool.class));
	}

	@Test
	void userBeansReplaceTheDefaults(TestRedis redis) {
		this.runner
			.withBean("myClient", ResqueClient.class,
					() -> new ResqueClient(null, tools.jackson.databind.json.JsonMapper.builder().build(), true))
			.run((context) -> assertThat(context.getBean(ResqueClient.class)).isSameAs(context.getBean("myClient")));
	}

	@Test
	void aRunningPoolKeepsAWorkerOnlyProcessAliveAlsoOnVirtualThreads() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context.getBean(ResquePool.class).isRunning()).isTrue();
			assertThat(Thread.getAllStackTraces().keySet())
				.anyMatch((thread) -> thread.getName().equals("resque-pool") && !thread.isDaemon() && thread.isAlive());
		});
	}

	@Test
	void everyPropertyHasMetadataWithADescription() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			for (String name : List.of("enabled", "namespace", "groups", "hostname", "paused", "start-interval",
					"shutdown-timeout", "max-workers", "poll-interval", "heartbeat-interval", "prune-interval",
					"recovery-timeout", "recovery-mode", "job-timeout", "restart-backoff", "max-restart-backoff",
					"command-timeout", "endpoint.show-args", "client.enqueued-at")) {
				assertThat(metadata).contains("\"name\": \"resque.pool." + name + "\"");
			}
			assertThat(metadata).doesNotContain("\"description\": \"\"");
		}
	}

	private static List<String> groups(ConfigurableApplicationContext context) {
		PoolStatus status = context.getBean(ResquePool.class).status();
		return status.groups().stream().map((g) -> g.name() + " [" + g.queues() + "] x" + g.count()).toList();
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> yaml() {
		return (context) -> {
			try {
				List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("issue-example",
						new ClassPathResource("issue-example.yml"));
				sources.forEach(context.getEnvironment().getPropertySources()::addLast);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> environment(
			Map<String, Object> variables) {
		return (context) -> {
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			sources.addFirst(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test", variables));
		};
	}

}
