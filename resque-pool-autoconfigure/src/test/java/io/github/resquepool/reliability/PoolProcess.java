package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.resquepool.pool.ResquePool;

/**
 * The application the fault-injection suite runs as a child JVM: a worker-only Spring Boot app
 * (no web server) with the resque-pool auto-configuration and {@link RelJobs}. It prints
 * {@code READY <pid> <poolId>} once the pool runs.
 * <p>
 * It never outlives the test: it halts when the JVM that started it (pid in system property
 * {@value #PARENT}) is gone, or after the seconds in system property {@value #LIFETIME} (120 by
 * default).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class PoolProcess {

	/** System property: the pid of the test JVM. */
	static final String PARENT = "reliability.parent";

	/** System property: the longest this JVM may live, in seconds. */
	static final String LIFETIME = "reliability.lifetime";

	/**
	 * Runs the pool until the JVM is asked to stop.
	 * @param args Spring Boot arguments ({@code --spring.data.redis.port=...}, {@code --resque.pool.*})
	 */
	public static void main(String[] args) {
		watchParent();
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

	private static void watchParent() {
		Optional<ProcessHandle> parent = Optional.ofNullable(System.getProperty(PARENT))
			.flatMap((pid) -> ProcessHandle.of(Long.parseLong(pid)));
		long lifetime = Long.getLong(LIFETIME, 120);
		long deadline = System.nanoTime() + Duration.ofSeconds(lifetime).toNanos();
		Thread.ofPlatform().daemon(true).name("reliability-watchdog").start(() -> {
			while (true) {
				if (parent.isPresent() && !parent.get().isAlive()) {
					System.err.println("reliability-watchdog: the test JVM is gone; halting");
					Runtime.getRuntime().halt(3);
				}
				if (System.nanoTime() > deadline) {
					System.err.println("reliability-watchdog: lifetime of " + lifetime + " s exceeded; halting");
					Runtime.getRuntime().halt(4);
				}
				try {
					Thread.sleep(250);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
	}

}
