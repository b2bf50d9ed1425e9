package io.github.resquepool.sample.demo;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.github.resquepool.sample.SampleProperties;

/**
 * Enqueues a few demo jobs once the application is ready, so that a first run shows work
 * in the log at once. Switch it off with {@code resque.sample.demo-on-start=false}.
 */
@Component
public class DemoOnStart {

	private static final Logger log = LoggerFactory.getLogger(DemoOnStart.class);

	static final int JOBS = 8;

	private final DemoJobs demoJobs;

	private final SampleProperties properties;

	public DemoOnStart(DemoJobs demoJobs, SampleProperties properties) {
		this.demoJobs = demoJobs;
		this.properties = properties;
	}

	@EventListener
	public void onReady(ApplicationReadyEvent event) {
		if (!this.properties.demoOnStart()) {
			return;
		}
		Map<String, Integer> perQueue = this.demoJobs.enqueue(JOBS);
		Environment environment = event.getApplicationContext().getEnvironment();
		String port = environment.getProperty("local.server.port", "8080");
		// The demo endpoints are for the operator; only the dev profile has a password
		// that may be shown.
		String operator = environment.getProperty("spring.security.user.name", "ops") + ":"
				+ (environment.matchesProfiles("dev") ? environment.getProperty("spring.security.user.password")
						: "$OPS_PASSWORD");
		log.info(
				"Enqueued {} demo jobs {}. More: curl -u {} -X POST 'localhost:{}/demo/enqueue?count=100', "
						+ "queues: curl -u {} localhost:{}/demo/queues",
				JOBS, perQueue, operator, port, operator, port);
	}

}
