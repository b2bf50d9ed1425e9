package io.github.resquepool.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import io.github.resquepool.worker.Worker;

/**
 * How long workers wait out a Redis outage before they try again: Spring's
 * {@link ExponentialBackOff}, 100 ms doubling to 5 s with jitter, one execution per
 * worker, started again at each outage's first attempt. Thread-safe.
 */
final class OutageBackoff {

	private final Map<Worker, BackOffExecution> executions = new ConcurrentHashMap<>();

	private final ExponentialBackOff policy = new ExponentialBackOff(100, 2.0);

	OutageBackoff() {
		this.policy.setMaxInterval(5000);
		this.policy.setJitter(50);
	}

	/**
	 * Waits before a worker's next attempt.
	 * @param worker the worker
	 * @param attempt the attempt that failed, 1 for an outage's first
	 * @throws InterruptedException when the worker is interrupted while it waits
	 */
	void await(Worker worker, int attempt) throws InterruptedException {
		BackOffExecution backoff = (attempt == 1) ? this.policy.start() : this.executions.get(worker);
		if (backoff == null) {
			backoff = this.policy.start();
		}
		this.executions.put(worker, backoff);
		Thread.sleep(Math.max(1, backoff.nextBackOff()));
	}

	/**
	 * Forgets a worker that left.
	 * @param worker the worker
	 */
	void forget(Worker worker) {
		this.executions.remove(worker);
	}

}
