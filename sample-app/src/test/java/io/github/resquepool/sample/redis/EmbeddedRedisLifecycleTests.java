package io.github.resquepool.sample.redis;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.RedisConnections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The embedded Redis lives exactly as long as the application context, and outlives every
 * bean that may still use it while the context closes.
 */
class EmbeddedRedisLifecycleTests {

	private static final String[] ARGS = { "--spring.main.banner-mode=off", "--resque.sample.embedded-redis.port=0" };

	@Test
	void stopsAfterEveryOtherBeanWhenTheContextCloses() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(UsesRedisWhenDestroyed.class)
			.web(WebApplicationType.NONE)
			.run(ARGS);
		EmbeddedRedisServer server = context.getBean(EmbeddedRedisServer.class);
		UsesRedisWhenDestroyed user = context.getBean(UsesRedisWhenDestroyed.class);
		assertThat(server.isRunning()).isTrue();
		assertThat(context.getEnvironment().getProperty("spring.data.redis.port", Integer.class))
			.isEqualTo(server.port());

		context.close();

		assertThat(user.answerAtDestroy.get()).isEqualTo("PONG");
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void stopsWhenTheApplicationFailsToStart() {
		FailsToStart.port.set(null);
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(FailsToStart.class).web(WebApplicationType.NONE).run(ARGS));
		Integer port = FailsToStart.port.get();
		assertThat(port).isNotNull();
		assertThatRuntimeException().isThrownBy(() -> RedisConnections.ping(EmbeddedRedisServer.HOST, port));
	}

	@Configuration(proxyBeanMethods = false)
	static class UsesRedisWhenDestroyed implements DisposableBean {

		private final AtomicReference<Object> answerAtDestroy = new AtomicReference<>();

		private final Environment environment;

		UsesRedisWhenDestroyed(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void destroy() {
			int port = this.environment.getRequiredProperty("spring.data.redis.port", Integer.class);
			this.answerAtDestroy.set(RedisConnections.ping(EmbeddedRedisServer.HOST, port));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailsToStart {

		static final AtomicReference<Integer> port = new AtomicReference<>();

		@Bean
		Object failing(Environment environment) {
			port.set(environment.getRequiredProperty("spring.data.redis.port", Integer.class));
			throw new IllegalStateException("boom");
		}

	}

}
