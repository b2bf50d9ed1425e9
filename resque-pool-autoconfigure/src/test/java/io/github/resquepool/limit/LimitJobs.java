package io.github.resquepool.limit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;

/**
 * Jobs under limits that keep their own start and end marks, shared by every pool of the
 * JVM: how many run now, in all and per key, and the most seen at once.
 */
class LimitJobs {

	static final Marks CHARGES = new Marks();

	static final Marks CALLS = new Marks();

	static final Marks FREE = new Marks();

	static final Marks EXPORTS = new Marks();

	static void reset() {
		EXPORTS.reset();
		CHARGES.reset();
		CALLS.reset();
		FREE.reset();
	}

	@ResqueJob("Limits::Charge")
	@ResqueLimit(concurrency = 3)
	@ResqueLimit(concurrency = 1, key = "#p0")
	void charge(String account, String id) throws InterruptedException {
		CHARGES.run(account, id, Duration.ofMillis(15));
	}

	@ResqueJob("Limits::Call")
	@ResqueLimit(rate = 20, per = "1s")
	void call(String id) throws InterruptedException {
		CALLS.run("all", id, Duration.ZERO);
	}

	@ResqueJob("Limits::Export")
	void export(String id) throws InterruptedException {
		EXPORTS.run("all", id, Duration.ofMillis(30));
	}

	@ResqueJob("Limits::Free")
	void free(String id) throws InterruptedException {
		FREE.run("all", id, Duration.ofMillis(15));
	}

	static final class Marks {

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger mostRunning = new AtomicInteger();

		final Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();

		final AtomicInteger mostRunningPerKey = new AtomicInteger();

		final Queue<String> ran = new ConcurrentLinkedQueue<>();

		final Queue<Long> startedAtMillis = new ConcurrentLinkedQueue<>();

		void run(String key, String id, Duration length) throws InterruptedException {
			this.startedAtMillis.add(System.currentTimeMillis());
			this.mostRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			AtomicInteger perKey = this.runningPerKey.computeIfAbsent(key, (k) -> new AtomicInteger());
			this.mostRunningPerKey.accumulateAndGet(perKey.incrementAndGet(), Math::max);
			try {
				if (!length.isZero()) {
					Thread.sleep(length.toMillis());
				}
				this.ran.add(id);
			}
			finally {
				perKey.decrementAndGet();
				this.running.decrementAndGet();
			}
		}

		List<Long> starts() {
			return List.copyOf(this.startedAtMillis);
		}

		void reset() {
			this.running.set(0);
			this.mostRunning.set(0);
			this.runningPerKey.clear();
			this.mostRunningPerKey.set(0);
			this.ran.clear();
			this.startedAtMillis.clear();
		}

	}

}
