package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.RespClient;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.ResqueJob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisExtension.class)
class SmokeTests {

	@Test
	void processesARawJob(TestRedis redis) throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class))
			.withPropertyValues(redis.springPropertyValues())
			.withPropertyValues("resque.pool.groups.critical.queues=high,normal", "resque.pool.groups.critical.count=2")
			.withUserConfiguration(Jobs.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (RespClient client = redis.client()) {
					client.command("SADD", "resque:queues", "high");
					client.command("RPUSH", "resque:queue:high", "{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"]}");
					await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(Mailer.class).calls.size() == 1);
					assertThat(context.getBean(Mailer.class).calls).containsExactly("42/en");
					await().atMost(Duration.ofSeconds(2)).until(() -> "1".equals(client.command("GET", "resque:stat:processed")));
					System.out.println(client.command("SMEMBERS", "resque:workers"));
					System.out.println(context.getBean(ResquePool.class).status());
				}
			});
	}

	@Configuration
	static class Jobs {

		@Bean
		Mailer mailer() {
			return new Mailer();
		}

	}

	static class Mailer {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@ResqueJob("Mailers::Welcome")
		void welcome(long userId, String locale) {
			this.calls.add(userId + "/" + locale);
		}

	}

}
