package io.github.resquepool.sample.jobs;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;

/**
 * A job that fails on bad input: the failure lands in Resque's failed list
 * ({@code resque:failed}), where resque-web or
 * {@link io.github.resquepool.client.ResqueFailures} can retry or remove it. It runs
 * under fleet-wide limits: at most 5 charges at once, and one at a time per account,
 * whatever the number of pools ({@code GET /actuator/resquefleet} shows them in use).
 */
@Component
public class BillingJobs {

	private static final Logger log = LoggerFactory.getLogger(BillingJobs.class);

	/**
	 * Charges an account.
	 * @param account the account id, such as {@code acct_1042}
	 * @param cents the amount in cents
	 * @throws IllegalArgumentException when the amount is negative
	 * @throws InterruptedException when the pool stops the job
	 */
	@ResqueJob("Billing::Charge")
	@ResqueLimit(concurrency = 5)
	@ResqueLimit(concurrency = 1, key = "#p0")
	public void charge(String account, long cents) throws InterruptedException {
		if (cents < 0) {
			throw new IllegalArgumentException("Cannot charge a negative amount (" + cents + " cents) to " + account);
		}
		Thread.sleep(50); // calling the payment provider
		log.info("Charged {} ${}", account, String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100));
	}

}
