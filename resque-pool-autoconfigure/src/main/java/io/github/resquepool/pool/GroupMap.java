package io.github.resquepool.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.github.resquepool.worker.Worker;
import io.github.resquepool.worker.WorkerState;

/**
 * The pool's groups: the running ones by name, in configuration order, and the retired
 * ones whose workers still finish their jobs. Changes are made under one lock and
 * published whole, so reading never waits.
 */
final class GroupMap {

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, WorkerGroup> running = new LinkedHashMap<>();

	private final List<WorkerGroup> draining = new ArrayList<>();

	private volatile List<WorkerGroup> runningView = List.of();

	private volatile List<WorkerGroup> drainingView = List.of();

	/**
	 * @return the running groups, in configuration order
	 */
	List<WorkerGroup> running() {
		return this.runningView;
	}

	/**
	 * @return the retired groups whose workers still finish their jobs
	 */
	List<WorkerGroup> draining() {
		return this.drainingView;
	}

	/**
	 * @return the running groups, then the draining ones
	 */
	List<WorkerGroup> all() {
		List<WorkerGroup> all = new ArrayList<>(this.runningView);
		all.addAll(this.drainingView);
		return all;
	}

	/**
	 * @param name a group's name
	 * @return the running group of that name
	 * @throws IllegalArgumentException when there is none
	 */
	WorkerGroup require(String name) {
		List<WorkerGroup> view = this.runningView;
		return view.stream()
			.filter((group) -> group.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no worker group '" + name + "'; groups: "
					+ String.join(", ", view.stream().map(WorkerGroup::name).toList())));
	}

	/**
	 * Checks a new count for a running group.
	 * @param name the group's name
	 * @param count the new count
	 * @param maxWorkers the most workers all groups together may have
	 * @return the group
	 * @throws IllegalArgumentException when there is no such group, the count is
	 * negative, or the total of all groups would exceed {@code maxWorkers}
	 */
	WorkerGroup requireScalable(String name, int count, int maxWorkers) {
		WorkerGroup target = require(name);
		if (count < 0) {
			throw new IllegalArgumentException("count must be 0 or more, was " + count);
		}
		if (count > maxWorkers) {
			throw new IllegalArgumentException("scaling '" + name + "' to " + count
					+ " workers would be more than resque.pool.max-workers=" + maxWorkers);
		}
		// A long: the counts of several groups, each within max-workers, still add up
		// past an int.
		long total = this.runningView.stream().mapToLong((g) -> (g == target) ? count : g.desired()).sum();
		if (total > maxWorkers) {
			throw new IllegalArgumentException("scaling '" + name + "' to " + count + " would make " + total
					+ " workers, more than resque.pool.max-workers=" + maxWorkers);
		}
		return target;
	}

	/**
	 * Replaces every group.
	 * @param groups the running groups, in order
	 */
	void reset(List<WorkerGroup> groups) {
		update(() -> {
			this.running.clear();
			this.draining.clear();
			groups.forEach((group) -> this.running.put(group.name(), group));
		});
	}

	/**
	 * Replaces the running groups and moves retired ones to the draining.
	 * @param groups the running groups, in order
	 * @param retired groups whose workers finish their jobs
	 */
	void replace(List<WorkerGroup> groups, List<WorkerGroup> retired) {
		update(() -> {
			this.running.clear();
			groups.forEach((group) -> this.running.put(group.name(), group));
			this.draining.addAll(retired);
		});
	}

	/** Forgets the retired groups whose workers have all left. */
	void dropDrained() {
		update(() -> this.draining.removeIf((group) -> group.workers().isEmpty()));
	}

	/**
	 * @return the ids of every worker whose thread has not ended
	 */
	List<String> aliveWorkerIds() {
		List<String> alive = new ArrayList<>();
		for (WorkerGroup group : all()) {
			for (Worker worker : group.workers()) {
				if (worker.state() != WorkerState.STOPPED) {
					alive.add(worker.id());
				}
			}
		}
		return alive;
	}

	/**
	 * Wakes one idle worker of each running group that may watch the queue (an enqueue
	 * was announced).
	 * @param queue the queue's name
	 */
	void enqueued(String queue) {
		for (WorkerGroup group : this.runningView) {
			if (group.queues().mayWatch(queue)) {
				group.wakeOne();
			}
		}
	}

	private void update(Runnable change) {
		this.lock.lock();
		try {
			change.run();
			this.runningView = List.copyOf(this.running.values());
			this.drainingView = List.copyOf(this.draining);
		}
		finally {
			this.lock.unlock();
		}
	}

}
