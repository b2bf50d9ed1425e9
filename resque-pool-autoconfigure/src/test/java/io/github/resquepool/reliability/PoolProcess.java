package io.github.resquepool.reliability;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.resquepool.embedded.ChildJvm;
import io.github.resquepool.pool.ResquePool;

/**
 * The application the fault-injection suite runs as a child JVM: a worker-only Spring
 * Boot app (no web server) with the resque-pool auto-configuration and {@link RelJobs}
 * ({@link RelLimitJobs} too with {@code --rel.limit-jobs=true}). It prints
 * {@code READY <pid> <poolId>} once the pool runs.
 * <p>
 * It never outlives the test: {@link ChildJvm#exitWithParent()} ends it when the JVM that
 * started it is gone, or when the lifetime {@link ChildPool} gives it is over.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class PoolProcess {

	/**
	 * Runs the pool until the JVM is asked to stop.
	 * @param args Spring Boot arguments ({@code --spring.data.redis.port=...},
	 * {@code --resque.pool.*})
	 */
	public static void main(String[] args) {
		ChildJvm.exitWithParent();
		SpringApplication application = new SpringApplication(PoolProcess.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.addListeners((ApplicationListener<ApplicationReadyEvent>) (event) -> {
			ResquePool pool = event.getApplicationContext().getBean(ResquePool.class);
			System.out.println("READY " + ProcessHandle.current().pid() + " " + pool.status().poolId());
			System.out.flush();
		});
		application.run(args);
	}

	@Bean
	RelJobs relJobs(Environment environment) {
		return new RelJobs(environment.getProperty("spring.data.redis.host", "127.0.0.1"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379));
	}

	@Bean
	@ConditionalOnBooleanProperty("rel.limit-jobs")
	RelLimitJobs relLimitJobs(Environment environment) {
		return new RelLimitJobs(environment.getProperty("spring.data.redis.host", "127.0.0.1"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379));
	}

}
