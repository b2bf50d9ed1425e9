package io.github.resquepool.outbox;

import io.github.resquepool.client.OutboxJob;
import io.github.resquepool.resque.OutboxStore;

/**
 * One row of {@code resque_outbox} as the delivery thread holds it.
 *
 * @param token the row's token: its marker's name in Redis, unique among all rows ever
 * written
 * @param job the job
 */
record OutboxRow(String token, OutboxJob job) {

	OutboxStore.Delivery delivery() {
		return new OutboxStore.Delivery(this.token, this.job.delayed(), this.job.queue(), this.job.bucket(),
				this.job.payload(), this.job.lockName(), this.job.lockTtlMillis());
	}

}
