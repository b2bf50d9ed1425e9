package io.github.resquepool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A small application whose Resque jobs run in a resque-pool. Run it with no Redis
 * configured and it starts an embedded one (see
 * {@link io.github.resquepool.sample.redis.EmbeddedRedisEnvironmentPostProcessor}),
 * enqueues a few demo jobs and processes them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
