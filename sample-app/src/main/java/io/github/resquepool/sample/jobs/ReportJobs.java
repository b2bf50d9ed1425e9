package io.github.resquepool.sample.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.sample.SampleProperties;

/**
 * A slow job with a structured argument and its own timeout.
 */
@Component
public class ReportJobs {

	private static final Logger log = LoggerFactory.getLogger(ReportJobs.class);

	private final SampleProperties properties;

	public ReportJobs(SampleProperties properties) {
		this.properties = properties;
	}

	/**
	 * Builds a report; takes 2 to 5 seconds (or {@code resque.sample.report-delay}), and
	 * is interrupted and recorded as failed after 30 seconds.
	 * @param request what to build
	 * @throws InterruptedException when the job times out or the pool stops it
	 */
	@ResqueJob(value = "Reports::Build", timeout = "30s")
	public void build(ReportRequest request) throws InterruptedException {
		Duration work = workTime();
		log.info("Building {} report for account {} ({} to {}) as {}...", request.report(), request.accountId(),
				request.from(), request.to(), request.format());
		Thread.sleep(work);
		log.info("Built {} report for account {} in {} ms", request.report(), request.accountId(), work.toMillis());
	}

	private Duration workTime() {
		Duration configured = this.properties.reportDelay();
		return (configured != null) ? configured : Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 5001));
	}

}
