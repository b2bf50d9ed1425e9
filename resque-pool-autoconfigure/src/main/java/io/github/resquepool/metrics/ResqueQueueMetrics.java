package io.github.resquepool.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Binds {@code resque.queue.size}, a gauge per watched queue (tag {@code queue}): the
 * jobs waiting in it. The sizes are read from Redis by one background thread at most once
 * per refresh interval, whatever the number of registries, scrapes and workers; a scrape
 * only reads the last values. When a refresh fails the last values stay. Queues that are
 * no longer watched lose their gauge; past {@code maxQueues} queues, the rest get none.
 * <p>
 * The thread runs while the application context runs: it starts and stops in the pool's
 * lifecycle phase, so it never reads Redis after the pool's connections are closed.
 */
public class ResqueQueueMetrics extends PeriodicRefresh implements MeterBinder {

	/** How often sizes are read by default. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

	private final ResqueRedis redis;

	private final Supplier<List<QueueSpec>> watched;

	private final int maxQueues;

	private final List<MultiGauge> gauges = new CopyOnWriteArrayList<>();

	private volatile Map<String, Long> sizes = Map.of();

	/**
	 * Creates the binder.
	 * @param redis the gateway
	 * @param watched the queue lists of the pool's groups, read at each refresh; empty to
	 * watch every queue of the {@code queues} set
	 * @param refreshInterval how often sizes are read
	 * @param maxQueues the most queues that get a gauge
	 */
	public ResqueQueueMetrics(ResqueRedis redis, Supplier<List<QueueSpec>> watched, Duration refreshInterval,
			int maxQueues) {
		this(redis, watched, refreshInterval, maxQueues, ResqueThreads.standard());
	}

	/**
	 * Creates the binder.
	 * @param redis the gateway
	 * @param watched the queue lists of the pool's groups, read at each refresh; empty to
	 * watch every queue of the {@code queues} set
	 * @param refreshInterval how often sizes are read
	 * @param maxQueues the most queues that get a gauge
	 * @param threads makes its {@code resque-queue-metrics} thread
	 */
	public ResqueQueueMetrics(ResqueRedis redis, Supplier<List<QueueSpec>> watched, Duration refreshInterval,
			int maxQueues, ResqueThreads threads) {
		super("resque-queue-metrics", refreshInterval, threads);
		this.redis = redis;
		this.watched = watched;
		this.maxQueues = maxQueues;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		MultiGauge gauge = MultiGauge.builder("resque.queue.size")
			.description("Resque jobs waiting in a queue")
			.baseUnit("jobs")
			.register(registry);
		this.gauges.add(gauge);
		publish(gauge, this.sizes);
	}

	/**
	 * Reads the sizes of the watched queues now, and adds or removes gauges as queues
	 * appear or stop being watched. Called by the background thread; public for tests and
	 * tools.
	 */
	@Override
	public void refresh() {
		Map<String, Long> next = new LinkedHashMap<>();
		try {
			for (String queue : watchedQueues()) {
				next.put(queue, this.redis.queues().size(queue));
			}
		}
		catch (RuntimeException ex) {
			// Keep the last values; a throwing task would also end the scheduled
			// refreshes.
			return;
		}
		this.sizes = next;
		this.gauges.forEach((gauge) -> publish(gauge, next));
	}

	private Set<String> watchedQueues() {
		Set<String> known = this.redis.queues().names();
		List<QueueSpec> specs = this.watched.get();
		Set<String> queues = new LinkedHashSet<>();
		if (specs.isEmpty()) {
			known.stream().sorted().forEach(queues::add);
		}
		specs.forEach((spec) -> queues.addAll(spec.expand(known)));
		return queues.stream().limit(this.maxQueues).collect(LinkedHashSet::new, Set::add, Set::addAll);
	}

	private void publish(MultiGauge gauge, Map<String, Long> current) {
		gauge.register(current.keySet()
			.stream()
			.map((queue) -> MultiGauge.Row.of(Tags.of("queue", queue), this,
					(metrics) -> metrics.sizes.getOrDefault(queue, 0L)))
			.toList(), true);
	}

}
