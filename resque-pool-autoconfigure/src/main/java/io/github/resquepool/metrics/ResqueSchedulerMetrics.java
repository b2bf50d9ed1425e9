package io.github.resquepool.metrics;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.github.resquepool.resque.DelayedItem;
import io.github.resquepool.scheduler.ResqueScheduler;
import io.github.resquepool.scheduler.SchedulerListener;

/**
 * Metrics of the pool's scheduler: {@code resque.scheduler.delayed.moved} and
 * {@code resque.scheduler.delayed.failed} (items moved to their queues, bad items sent to
 * {@code failed}), {@code resque.scheduler.schedule.runs} by schedule, the gauge
 * {@code resque.scheduler.lock.held} (1 while this JVM is the master) and the gauge
 * {@code resque.scheduler.delayed.lag} (seconds since the earliest bucket still waiting
 * fell due, as last seen by the master; 0 when none is late).
 */
public final class ResqueSchedulerMetrics implements SchedulerListener {

	private final MeterRegistry registry;

	private final Counter moved;

	private final Counter failed;

	private volatile ResqueScheduler scheduler;

	/**
	 * Creates the meters.
	 * @param registry the registry
	 * @param clock the clock of the lag
	 */
	public ResqueSchedulerMetrics(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.moved = Counter.builder("resque.scheduler.delayed.moved")
			.description("Delayed items moved to their queues")
			.register(registry);
		this.failed = Counter.builder("resque.scheduler.delayed.failed")
			.description("Delayed items that could not be enqueued and went to the failed list")
			.register(registry);
		Gauge
			.builder("resque.scheduler.lock.held", this, (m) -> (m.scheduler != null && m.scheduler.isMaster()) ? 1 : 0)
			.description("Whether this process holds resque-scheduler's master lock")
			.register(registry);
		Gauge.builder("resque.scheduler.delayed.lag", this, (m) -> m.lag(clock))
			.description("Seconds since the earliest waiting delayed bucket fell due")
			.baseUnit("seconds")
			.register(registry);
	}

	/**
	 * Binds the gauges to a scheduler.
	 * @param scheduler the scheduler
	 */
	public void bind(ResqueScheduler scheduler) {
		this.scheduler = scheduler;
	}

	private double lag(Clock clock) {
		ResqueScheduler current = this.scheduler;
		Instant due = (current != null && current.isMaster()) ? current.nextDue() : null;
		if (due == null) {
			return 0;
		}
		return Math.max(0, (clock.millis() - due.toEpochMilli()) / 1000.0);
	}

	@Override
	public void delayedMoved(int count) {
		this.moved.increment(count);
	}

	@Override
	public void delayedFailed(DelayedItem item) {
		this.failed.increment();
	}

	@Override
	public void scheduleFired(String name) {
		Counter.builder("resque.scheduler.schedule.runs")
			.description("Firings of recurring schedules")
			.tag("schedule", name)
			.register(this.registry)
			.increment();
	}

}
