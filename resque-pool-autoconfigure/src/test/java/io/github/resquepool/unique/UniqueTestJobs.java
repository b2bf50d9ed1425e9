package io.github.resquepool.unique;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueUnique;
import io.github.resquepool.job.ResqueUnique.Until;

/**
 * Unique jobs for the tests: each run is recorded when it starts and when it ends, and
 * waits until the gate opens.
 */
class UniqueTestJobs {

	final List<String> started = new CopyOnWriteArrayList<>();

	final List<String> finished = new CopyOnWriteArrayList<>();

	private final CountDownLatch gate = new CountDownLatch(1);

	final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	void open() {
		this.gate.countDown();
	}

	@ResqueJob("Unique::Finished")
	@ResqueUnique(until = Until.FINISHED)
	void finished(String name) throws InterruptedException {
		run("finished " + name);
	}

	@ResqueJob("Unique::Started")
	@ResqueUnique(until = Until.STARTED)
	void started(String name) throws InterruptedException {
		run("started " + name);
	}

	@ResqueJob("Unique::Short")
	@ResqueUnique(ttl = "1s")
	void lost(String name) {
	}

	@ResqueJob("Unique::Keyed")
	@ResqueUnique(key = "#p0")
	void keyed(String account, long cents) {
	}

	@ResqueJob("Unique::Named")
	@ResqueUnique(key = "#account + ':' + #root.args[1]")
	void named(String account, String kind, long cents) {
	}

	@ResqueJob("Unique::Failing")
	@ResqueUnique
	void failing(String name) {
		this.started.add("failing " + name);
		throw new IllegalStateException("boom");
	}

	@ResqueJob("Unique::Long")
	@ResqueUnique
	void longJob(String name, JobContext job) throws InterruptedException {
		long from = job.cursor(Long.class).orElse(0L);
		this.started.add("long " + name + " from " + from);
		for (long row = from; row < 20; row++) {
			Thread.sleep(50);
			job.checkpoint(row + 1);
		}
		this.finished.add("long " + name);
	}

	@ResqueJob("Unique::Block")
	void block(String gate) throws InterruptedException {
		this.started.add("block " + gate);
		this.gates.computeIfAbsent(gate, (name) -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
	}

	void open(String gate) {
		this.gates.computeIfAbsent(gate, (name) -> new CountDownLatch(1)).countDown();
	}

	private void run(String run) throws InterruptedException {
		this.started.add(run);
		this.gate.await(30, TimeUnit.SECONDS);
		this.finished.add(run);
	}

}
