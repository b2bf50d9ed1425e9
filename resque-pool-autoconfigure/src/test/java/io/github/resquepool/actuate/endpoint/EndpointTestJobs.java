package io.github.resquepool.actuate.endpoint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.resquepool.job.ResqueJob;

/**
 * A job the endpoint tests hold running until they release it.
 */
public class EndpointTestJobs {

	/** Keys of the jobs that started. */
	public final List<String> started = new CopyOnWriteArrayList<>();

	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	@ResqueJob("EndpointTest::Block")
	void block(String key, String secret) throws InterruptedException {
		this.started.add(key);
		gate(key).await(30, TimeUnit.SECONDS);
	}

	/**
	 * Lets a blocked job finish.
	 * @param key its key
	 */
	public void open(String key) {
		gate(key).countDown();
	}

	/** Lets every blocked job finish. */
	public void openAll() {
		this.gates.values().forEach(CountDownLatch::countDown);
	}

	private CountDownLatch gate(String key) {
		return this.gates.computeIfAbsent(key, (k) -> new CountDownLatch(1));
	}

}
