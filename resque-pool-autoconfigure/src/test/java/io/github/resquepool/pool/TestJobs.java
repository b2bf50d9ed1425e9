package io.github.resquepool.pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

/**
 * Job handlers the pool tests control: record, block until released, crash the worker, or
 * ignore interrupts.
 */
public class TestJobs implements DisposableBean {

	/** Every job run, as "class:arg". */
	public final List<String> runs = new CopyOnWriteArrayList<>();

	/** Workers that ran a job, by job arg. */
	public final Map<String, String> workers = new ConcurrentHashMap<>();

	/** Latches the blocking job waits on, by key. */
	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	/** Jobs that started blocking. */
	public final List<String> started = new CopyOnWriteArrayList<>();

	/** Jobs whose blocking wait was interrupted. */
	public final List<String> interrupted = new CopyOnWriteArrayList<>();

	/** Crashes so far. */
	public final AtomicInteger crashes = new AtomicInteger();

	/** Set when the context closes: jobs that ignore interrupts stop then. */
	private volatile boolean released;

	@ResqueJob("Test::Record")
	void record(JobContext context, String value) {
		this.runs.add("Record:" + value);
		this.workers.put(value, context.workerId());
	}

	@ResqueJob("Test::Block")
	void block(String key) throws InterruptedException {
		this.started.add(key);
		try {
			if (!gate(key).await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("gate " + key + " never opened");
			}
		}
		catch (InterruptedException ex) {
			this.interrupted.add(key);
			throw ex;
		}
		this.runs.add("Block:" + key);
	}

	/**
	 * Ignores the interrupt of its timeout: it spins until {@code millis} have passed or
	 * until {@link #destroy()} (the end of the test's context) releases it, whichever
	 * comes first, so that it never outlives its test on a busy machine.
	 */
	@ResqueJob(value = "Test::Stubborn", timeout = "300ms")
	void stubborn(long millis) {
		long end = System.nanoTime() + millis * 1_000_000;
		while (System.nanoTime() < end && !this.released) {
			Thread.onSpinWait();
		}
		this.runs.add("Stubborn:" + millis);
	}

	@ResqueJob(value = "Test::Slow", timeout = "200ms")
	void slow(long millis) throws InterruptedException {
		Thread.sleep(millis);
		this.runs.add("Slow:" + millis);
	}

	@ResqueJob("Test::Crash")
	void crash(String value) {
		this.crashes.incrementAndGet();
		throw new OutOfMemoryError("worker-killing error " + value);
	}

	/**
	 * @param key a gate
	 * @return its latch
	 */
	public CountDownLatch gate(String key) {
		return this.gates.computeIfAbsent(key, (k) -> new CountDownLatch(1));
	}

	/**
	 * Lets the blocking job with that key finish.
	 * @param key the gate
	 */
	public void open(String key) {
		gate(key).countDown();
	}

	/**
	 * Releases the jobs that ignore interrupts when the test's context closes (after the
	 * pool has stopped and left their threads behind).
	 */
	@Override
	public void destroy() {
		this.released = true;
	}

}
