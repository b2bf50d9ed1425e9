package io.github.resquepool.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobLimit;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.resque.LimitStore;

/**
 * The {@code @ResqueLimit}s without a key of a process's handlers: the ones the fetch
 * takes with the job, and the ones the fleet view shows before their first use.
 */
public final class ClassLimits {

	private ClassLimits() {
	}

	/**
	 * Reads the limits without a key of every handler.
	 * @param registry the handlers
	 * @return the limits by job class, in the registry's order
	 */
	public static Map<String, List<LimitStore.Slot>> withoutKey(JobRegistry registry) {
		Map<String, List<LimitStore.Slot>> limits = new LinkedHashMap<>();
		for (JobHandler handler : registry.handlers()) {
			List<LimitStore.Slot> slots = handler.limits()
				.stream()
				.filter((limit) -> limit.keySource() == null)
				.map((limit) -> slot(handler.name(), limit))
				.toList();
			if (!slots.isEmpty()) {
				limits.put(handler.name(), slots);
			}
		}
		return limits;
	}

	private static LimitStore.Slot slot(String className, JobLimit limit) {
		return new LimitStore.Slot(LimitStore.classLimitId(className, limit.index(), null), limit.concurrency(),
				limit.rate(), limit.per(), "class", className, null);
	}

}
