package io.github.resquepool.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;

import io.github.resquepool.pool.PoolListener;
import io.github.resquepool.pool.ResquePoolEvent;
import io.github.resquepool.worker.WorkerState;

/**
 * Follows the pool's workers as they change state:
 * <ul>
 * <li>{@code resque.workers}, a gauge per group and state ({@code idle}, {@code working},
 * {@code paused}, {@code stopping}, {@code stuck}): how many workers are in it;</li>
 * <li>{@code resque.worker.restarts}, a counter tagged {@code group}: workers that
 * crashed and are replaced (after the group's backoff);</li>
 * <li>{@code resque.pool.memory.limit.exceeded}, a counter: the heap after garbage
 * collections stayed above {@code resque.pool.memory-limit}, and the pool drained to
 * exit.</li>
 * </ul>
 */
public class ResqueWorkerMetrics implements PoolListener, ApplicationListener<ResquePoolEvent.MemoryLimitExceeded> {

	private final MeterRegistry registry;

	private final MeterProvider<Counter> restarts;

	private final Map<String, GroupState> workers = new ConcurrentHashMap<>();

	private final Counter memoryLimitExceeded;

	private final Map<GroupState, AtomicInteger> counts = new ConcurrentHashMap<>();

	/**
	 * Creates the meters.
	 * @param registry where they are registered
	 */
	public ResqueWorkerMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.restarts = Counter.builder("resque.worker.restarts")
			.description("Resque workers that crashed and were replaced")
			.withRegistry(registry);
		this.memoryLimitExceeded = Counter.builder("resque.pool.memory.limit.exceeded")
			.description("Times the heap after garbage collections stayed above resque.pool.memory-limit")
			.register(registry);
	}

	@Override
	public void onApplicationEvent(ResquePoolEvent.MemoryLimitExceeded event) {
		this.memoryLimitExceeded.increment();
	}

	@Override
	public void workerStateChanged(String group, String workerId, WorkerState state) {
		if (state == WorkerState.STOPPED) {
			forget(workerId);
			return;
		}
		GroupState next = new GroupState(group, state);
		this.workers.compute(workerId, (id, previous) -> {
			if (previous != null) {
				count(previous).decrementAndGet();
			}
			count(next).incrementAndGet();
			return next;
		});
	}

	@Override
	public void workerExited(String group, String workerId, Throwable crash) {
		forget(workerId);
		if (crash != null) {
			this.restarts.withTags("group", group).increment();
		}
	}

	private void forget(String workerId) {
		this.workers.computeIfPresent(workerId, (id, previous) -> {
			count(previous).decrementAndGet();
			return null;
		});
	}

	private AtomicInteger count(GroupState key) {
		return this.counts.computeIfAbsent(key, (k) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("resque.workers", count, AtomicInteger::get)
				.description("Resque workers of a group in a state")
				.tags("group", k.group(), "state", k.state().name().toLowerCase(Locale.ROOT))
				.strongReference(true)
				.register(this.registry);
			return count;
		});
	}

	private record GroupState(String group, WorkerState state) {
	}

}
