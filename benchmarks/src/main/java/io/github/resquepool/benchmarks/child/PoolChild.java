package io.github.resquepool.benchmarks.child;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.pool.ResquePool;

/**
 * The resque-pool side of the benchmark: a Spring Boot application with the starter and
 * the benchmark jobs, driven by the runner over {@link Control}: bare (no web server, the
 * pool's own metrics off) or, with {@code --bench.web=true}, the application users run (a
 * web server, Actuator, Micrometer metrics and an observation around every job).
 * Everything is configured with ordinary {@code --resque.pool.*} and
 * {@code --spring.data.redis.*} arguments; {@code --bench.expect-workers=N} makes it
 * report when N workers are registered in Redis.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BenchJobs.class)
public class PoolChild {

	private static volatile Recording recording;

	/**
	 * Starts the application and serves the runner's commands.
	 * @param args the Spring Boot arguments
	 */
	public static void main(String[] args) {
		String pid = String.valueOf(ProcessHandle.current().pid());
		Probe.workerThreads((name) -> name.contains(":" + pid + "-"));
		SpringApplication application = new SpringApplication(PoolChild.class);
		// --bench.web=true: the application users run, with a web server, Actuator and
		// metrics.
		boolean web = java.util.Arrays.asList(args).contains("--bench.web=true");
		application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		Control.emit("context-ready", ManagementFactory.getRuntimeMXBean().getUptime());
		ResquePool pool = context.getBean(ResquePool.class);
		Control.serve((line) -> {
			String[] words = line.split(" ");
			switch (words[0]) {
				case "pause" -> pool.pause();
				case "resume" -> pool.resume();
				case "expect" -> Probe.expect(Long.parseLong(words[1]));
				case "latencies" -> Probe.emitLatencies();
				case "memory" -> Probe.emitMemory();
				case "scale" -> {
					int count = Integer.parseInt(words[1]);
					long t0 = System.nanoTime();
					pool.scale("bench", count);
					StartProbe.watch(
							context.getEnvironment().getProperty("spring.data.redis.port", Integer.class, 6379),
							context.getEnvironment().getProperty("resque.pool.namespace", "resque") + ":workers", count,
							t0, "scaled");
				}
				case "jfr-start" -> jfrStart();
				case "jfr-stop" -> jfrStop(Path.of(words[1]));
				case "exit" -> {
					Control.exiting();
					Control.emit("bye");
					new Thread(() -> System.exit(SpringApplication.exit(context))).start();
					return;
				}
				default -> throw new IllegalArgumentException("unknown command " + line);
			}
			Control.emit("ok", words[0]);
		});
	}

	private static void jfrStart() {
		try {
			Recording r = new Recording(Configuration.getConfiguration("profile"));
			r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
			// JDK 25+ on Linux: samples by CPU time (JEP 509); unknown to older JDKs,
			// which ignore the setting.
			r.enable("jdk.CPUTimeSample").with("throttle", "1ms");
			r.start();
			recording = r;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void jfrStop(Path file) {
		try (Recording r = recording) {
			r.stop();
			r.dump(file);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Bean
	static StartProbe benchStartProbe(Environment environment) {
		return new StartProbe(environment.getProperty("bench.expect-workers", Integer.class, 0),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379),
				environment.getProperty("resque.pool.namespace", "resque"));
	}

	/**
	 * Starts right before the pool (one phase earlier), notes the time, and watches
	 * {@code SCARD <namespace>:workers} every 0.5 ms until the expected number of workers
	 * is registered; then emits
	 * {@code registered <n> <milliseconds since the pool's start>}.
	 */
	static final class StartProbe implements SmartLifecycle {

		private final int expected;

		private final int port;

		private final String key;

		private volatile boolean running;

		StartProbe(int expected, int port, String namespace) {
			this.expected = expected;
			this.port = port;
			this.key = namespace + ":workers";
		}

		@Override
		public void start() {
			long t0 = System.nanoTime();
			this.running = true;
			Control.emit("pool-starting", ManagementFactory.getRuntimeMXBean().getUptime());
			if (this.expected > 0) {
				watch(this.port, this.key, this.expected, t0, "registered");
			}
		}

		/**
		 * Polls {@code SCARD} every 0.5 ms on a thread of its own until it reaches
		 * {@code expected}, then emits
		 * {@code <event> <count> <ms to all> <ms to the first>} (milliseconds since t0).
		 */
		static void watch(int port, String key, int expected, long t0, String event) {
			Thread.ofPlatform().daemon().name("bench-start-probe").start(() -> {
				try (StatefulRedisConnection<String, String> client = RedisConnections.open("127.0.0.1", port,
						Duration.ofSeconds(5))) {
					long deadline = t0 + Duration.ofMinutes(2).toNanos();
					double first = -1;
					while (System.nanoTime() < deadline) {
						long count = client.sync().scard(key);
						if (count >= 1 && first < 0) {
							first = (System.nanoTime() - t0) / 1e6;
						}
						if (count >= expected) {
							Control.emit(event, count, (System.nanoTime() - t0) / 1e6, first);
							return;
						}
						Thread.sleep(0, 500_000);
					}
					Control.emit("error", "workers not registered within 2 minutes");
				}
				catch (Exception ex) {
					Control.emit("error", ex.toString());
				}
			});
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return ResquePool.PHASE - 1;
		}

	}

}
