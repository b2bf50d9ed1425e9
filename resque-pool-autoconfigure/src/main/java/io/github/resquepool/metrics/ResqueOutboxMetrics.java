package io.github.resquepool.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.resquepool.outbox.ResqueOutbox;

/**
 * The meters of the transactional outbox: {@code resque.outbox.backlog} (rows of
 * {@code resque_outbox} not delivered yet, whoever holds them),
 * {@code resque.outbox.oldest.age} (the age of the oldest of them), both as read last by
 * the outbox's thread (every five poll intervals, never per scrape), and the counters
 * {@code resque.outbox.pushed} (rows this instance pushed) and
 * {@code resque.outbox.resent} (rows it sent again and found pushed before, so did not
 * push twice).
 */
public class ResqueOutboxMetrics implements MeterBinder {

	private final ResqueOutbox outbox;

	/**
	 * Creates the meters of an outbox.
	 * @param outbox the outbox
	 */
	public ResqueOutboxMetrics(ResqueOutbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("resque.outbox.backlog", this.outbox, ResqueOutbox::backlogRows)
			.description("Rows of the transactional outbox not delivered to Redis yet")
			.register(registry);
		TimeGauge
			.builder("resque.outbox.oldest.age", this.outbox, TimeUnit.MILLISECONDS,
					(outbox) -> outbox.oldestAge().toMillis())
			.description("Age of the oldest row of the transactional outbox not delivered yet")
			.register(registry);
		FunctionCounter.builder("resque.outbox.pushed", this.outbox, ResqueOutbox::pushed)
			.description("Rows of the transactional outbox this instance pushed to Redis")
			.register(registry);
		FunctionCounter.builder("resque.outbox.resent", this.outbox, ResqueOutbox::sentBefore)
			.description("Rows sent again that Redis already had (their marker was there), not pushed twice")
			.register(registry);
	}

}
