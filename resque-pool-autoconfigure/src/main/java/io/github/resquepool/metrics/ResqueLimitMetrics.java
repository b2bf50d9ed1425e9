package io.github.resquepool.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Binds the fleet-wide limits' gauges, tagged {@code kind} ({@code queue} or
 * {@code class}) and {@code name} (the queue or job class; the values of per-key limits
 * are summed, never a tag):
 * <ul>
 * <li>{@code resque.limit.held}: the slots held now across the fleet;</li>
 * <li>{@code resque.limit.blocked}: the jobs that wait for room now (held back off their
 * queue by a class limit, or on a queue whose limit is full).</li>
 * </ul>
 * Read from Redis by one background thread at most once per refresh interval, as
 * {@link ResqueQueueMetrics} reads queue sizes; a failed refresh keeps the last values.
 */
public class ResqueLimitMetrics extends PeriodicRefresh implements MeterBinder {

	private final Supplier<List<FleetView.Limit>> limits;

	private final int maxTagValues;

	private final List<MultiGauge[]> gauges = new CopyOnWriteArrayList<>();

	private volatile Map<Tags, long[]> values = Map.of();

	/**
	 * Creates the binder.
	 * @param limits reads the limits in force
	 * @param refreshInterval how often they are read
	 * @param maxTagValues the most limits that get gauges
	 * @param threads makes its {@code resque-limit-metrics} thread
	 */
	public ResqueLimitMetrics(Supplier<List<FleetView.Limit>> limits, Duration refreshInterval, int maxTagValues,
			ResqueThreads threads) {
		super("resque-limit-metrics", refreshInterval, threads);
		this.limits = limits;
		this.maxTagValues = maxTagValues;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		MultiGauge held = MultiGauge.builder("resque.limit.held")
			.description("Slots of a fleet-wide limit held by running jobs")
			.baseUnit("jobs")
			.register(registry);
		MultiGauge blocked = MultiGauge.builder("resque.limit.blocked")
			.description("Jobs that wait for room under a fleet-wide limit")
			.baseUnit("jobs")
			.register(registry);
		MultiGauge[] pair = { held, blocked };
		this.gauges.add(pair);
		publish(pair, this.values);
	}

	/**
	 * Reads the limits now and updates the gauges. Called by the background thread;
	 * public for tests and tools.
	 */
	@Override
	public void refresh() {
		Map<Tags, long[]> next = new LinkedHashMap<>();
		try {
			for (FleetView.Limit limit : this.limits.get()) {
				boolean queue = limit.queue() != null;
				Tags tags = Tags.of("kind", queue ? "queue" : "class", "name",
						queue ? limit.queue() : limit.className());
				if (!next.containsKey(tags) && next.size() >= this.maxTagValues) {
					continue;
				}
				long[] sums = next.computeIfAbsent(tags, (t) -> new long[2]);
				sums[0] += limit.held();
				sums[1] += limit.blocked();
			}
		}
		catch (RuntimeException ex) {
			// Keep the last values; a throwing task would also end the scheduled
			// refreshes.
			return;
		}
		this.values = next;
		this.gauges.forEach((pair) -> publish(pair, next));
	}

	private void publish(MultiGauge[] pair, Map<Tags, long[]> current) {
		for (int i = 0; i < pair.length; i++) {
			int index = i;
			pair[i].register(current.keySet().stream().map((tags) -> MultiGauge.Row.of(tags, this, (metrics) -> {
				long[] sums = metrics.values.get(tags);
				return (sums != null) ? sums[index] : 0;
			})).toList(), true);
		}
	}

}
