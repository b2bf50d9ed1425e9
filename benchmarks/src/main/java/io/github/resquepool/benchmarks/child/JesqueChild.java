package io.github.resquepool.benchmarks.child;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.greghaines.jesque.Config;
import net.greghaines.jesque.ConfigBuilder;
import net.greghaines.jesque.worker.MapBasedJobFactory;
import net.greghaines.jesque.worker.WorkerImpl;
import redis.clients.jedis.Jedis;

/**
 * The peer side of the benchmark: N Jesque 2.2.0 {@link WorkerImpl}s, each on its own
 * thread and Jedis connection (Jesque's design), with its default
 * {@code NextQueueStrategy} ({@code DRAIN_WHILE_MESSAGES_EXISTS}), on the same Redis,
 * namespace and queue as resque-pool. Arguments: {@code <redis port> <workers> <queue>}.
 * Workers start paused; same commands as {@link PoolChild}.
 */
public final class JesqueChild {

	private JesqueChild() {
	}

	/**
	 * Starts the workers (paused) and serves the runner's commands.
	 * @param args port, worker count, queue
	 * @throws Exception when Redis cannot be reached
	 */
	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		int count = Integer.parseInt(args[1]);
		String queue = args[2];
		Probe.workerThreads((name) -> name.startsWith("Worker-"));
		Config config = new ConfigBuilder().withHost("127.0.0.1").withPort(port).withNamespace("resque").build();
		MapBasedJobFactory jobs = new MapBasedJobFactory(Map.of("Bench::Noop", Noop.class, "Bench::Sleep1ms",
				Sleep1ms.class, "Bench::Pickup", Pickup.class, "Bench::Block", Block.class));
		List<WorkerImpl> workers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			WorkerImpl worker = new WorkerImpl(config, List.of(queue), jobs);
			worker.togglePause(true);
			workers.add(worker);
		}
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(workers.get(i), "Worker-" + i);
			thread.setDaemon(true);
			thread.start();
		}
		try (Jedis jedis = new Jedis("127.0.0.1", port)) {
			long deadline = System.nanoTime() + 60_000_000_000L;
			while (jedis.scard("resque:workers") < count && System.nanoTime() < deadline) {
				Thread.sleep(1);
			}
		}
		Control.emit("context-ready", ManagementFactory.getRuntimeMXBean().getUptime());
		Control.emit("registered", count, 0);
		Control.serve((line) -> {
			String[] words = line.split(" ");
			switch (words[0]) {
				case "pause" -> workers.forEach((w) -> w.togglePause(true));
				case "resume" -> workers.forEach((w) -> w.togglePause(false));
				case "expect" -> Probe.expect(Long.parseLong(words[1]));
				case "latencies" -> Probe.emitLatencies();
				case "memory" -> Probe.emitMemory();
				case "exit" -> {
					Control.exiting();
					Control.emit("bye");
					workers.forEach((w) -> w.end(false));
					for (WorkerImpl w : workers) {
						try {
							w.join(2000);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
					System.exit(0);
					return;
				}
				default -> throw new IllegalArgumentException("unknown command " + line);
			}
			Control.emit("ok", words[0]);
		});
		Thread.currentThread().join();
	}

	/** {@code Bench::Noop}. */
	public static class Noop implements Runnable {

		@Override
		public void run() {
			Probe.started();
			Probe.finished();
		}

	}

	/** {@code Bench::Sleep1ms}. */
	public static class Sleep1ms implements Runnable {

		@Override
		public void run() {
			Probe.started();
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Probe.finished();
		}

	}

	/** {@code Bench::Pickup}: records its pickup latency. */
	public static class Pickup implements Runnable {

		private final long enqueuedMicros;

		/**
		 * @param enqueuedMicros when it was enqueued, epoch microseconds
		 */
		public Pickup(Long enqueuedMicros) {
			this.enqueuedMicros = enqueuedMicros;
		}

		@Override
		public void run() {
			Probe.pickedUp(this.enqueuedMicros);
		}

	}

	/** {@code Bench::Block}: reports that it started. */
	public static class Block implements Runnable {

		private final String tag;

		/**
		 * @param tag the job's tag
		 */
		public Block(String tag) {
			this.tag = tag;
		}

		@Override
		public void run() {
			Probe.picked(this.tag);
		}

	}

}
