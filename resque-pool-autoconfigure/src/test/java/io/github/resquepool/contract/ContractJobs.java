package io.github.resquepool.contract;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

/**
 * The {@code @ResqueJob} handlers of the contract tests: record what ran, block until
 * released, fail, take a big string, take a number.
 */
public class ContractJobs {

	/**
	 * Values of {@code Contract::Record} and {@code Contract::Count} jobs, in the order
	 * they ran.
	 */
	public final List<String> records = new CopyOnWriteArrayList<>();

	/** The worker id that ran each {@code Contract::Record} value. */
	public final Map<String, String> workers = new ConcurrentHashMap<>();

	/** The queue each {@code Contract::Record} value came from. */
	public final Map<String, String> queues = new ConcurrentHashMap<>();

	/** Keys of {@code Contract::Block} jobs that started. */
	public final List<String> started = new CopyOnWriteArrayList<>();

	/** Lengths of the strings {@code Contract::Big} received. */
	public final List<Integer> bigLengths = new CopyOnWriteArrayList<>();

	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	@ResqueJob("Contract::Record")
	void record(JobContext context, String value) {
		this.workers.put(value, context.workerId());
		this.queues.put(value, context.queue());
		this.records.add(value);
	}

	@ResqueJob("Contract::Block")
	void block(String key) throws InterruptedException {
		this.started.add(key);
		if (!gate(key).await(20, TimeUnit.SECONDS)) {
			throw new IllegalStateException("gate " + key + " was never opened");
		}
		this.records.add(key);
	}

	@ResqueJob("Contract::Fail")
	void fail(String message) {
		throw new IllegalArgumentException(message);
	}

	@ResqueJob("Contract::Big")
	void big(String text) {
		this.bigLengths.add(text.length());
	}

	@ResqueJob("Contract::Count")
	void count(long n) {
		this.records.add("count:" + n);
	}

	CountDownLatch gate(String key) {
		return this.gates.computeIfAbsent(key, (k) -> new CountDownLatch(1));
	}

	/**
	 * Lets the {@code Contract::Block} job with that key finish.
	 * @param key the job's argument
	 */
	public void open(String key) {
		gate(key).countDown();
	}

}
