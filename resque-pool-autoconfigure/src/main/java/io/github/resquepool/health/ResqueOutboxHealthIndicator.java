package io.github.resquepool.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.github.resquepool.outbox.ResqueOutbox;

/**
 * A {@link HealthIndicator} for the transactional outbox: {@code DOWN} when the oldest
 * row not delivered yet is older than a threshold (Redis has not taken the jobs of
 * committed transactions for that long), {@code UP} otherwise. The details show the
 * backlog, the age of its oldest row, the threshold and the rows this instance holds.
 * <p>
 * It makes no database or Redis call: it reads what the outbox's thread counted last.
 */
public class ResqueOutboxHealthIndicator extends AbstractHealthIndicator {

	private final ResqueOutbox outbox;

	private final Duration threshold;

	/**
	 * Creates the indicator.
	 * @param outbox the outbox
	 * @param threshold the age of the oldest row past which the outbox is {@code DOWN}
	 */
	public ResqueOutboxHealthIndicator(ResqueOutbox outbox, Duration threshold) {
		super("Resque outbox health check failed");
		this.outbox = outbox;
		this.threshold = threshold;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Duration oldest = this.outbox.oldestAge();
		builder.status((oldest.compareTo(this.threshold) > 0) ? Status.DOWN : Status.UP);
		builder.withDetail("backlog", this.outbox.backlogRows());
		builder.withDetail("oldestAge", oldest.toString());
		builder.withDetail("threshold", this.threshold.toString());
		builder.withDetail("held", this.outbox.heldRows());
	}

}
