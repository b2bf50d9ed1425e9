package io.github.resquepool.thread;

import java.util.concurrent.ThreadFactory;

/**
 * Where every thread of resque-pool comes from, as a listener container takes its
 * consumer threads from a {@code listenerTaskExecutor}: one bean, named
 * {@code resqueThreads}, that an application may replace (to wrap tasks, count threads,
 * or give them another group). Each thread keeps the name the architecture gives it
 * ({@code resque-pool}, {@code resque-pool-liveness}, a worker's id, ...), so thread
 * dumps and logs read the same whichever bean makes them.
 */
public interface ResqueThreads {

	/**
	 * Makes an unstarted platform thread.
	 * @param name the thread's name
	 * @param daemon whether the thread must not keep the JVM alive
	 * @param task what it runs
	 * @return the thread, not started
	 */
	Thread platform(String name, boolean daemon, Runnable task);

	/**
	 * Makes an unstarted virtual thread.
	 * @param name the thread's name
	 * @param task what it runs
	 * @return the thread, not started
	 */
	Thread virtual(String name, Runnable task);

	/**
	 * A factory of platform threads that all bear one name, for a single-thread executor.
	 * @param name the threads' name
	 * @param daemon whether they must not keep the JVM alive
	 * @return the factory
	 */
	default ThreadFactory factory(String name, boolean daemon) {
		return (task) -> platform(name, daemon, task);
	}

	/**
	 * @return threads made with {@link Thread#ofPlatform()} and
	 * {@link Thread#ofVirtual()}
	 */
	static ResqueThreads standard() {
		return Standard.INSTANCE;
	}

	/**
	 * Threads as the JDK's builders make them.
	 */
	final class Standard implements ResqueThreads {

		private static final Standard INSTANCE = new Standard();

		private Standard() {
		}

		@Override
		public Thread platform(String name, boolean daemon, Runnable task) {
			return Thread.ofPlatform().name(name).daemon(daemon).unstarted(task);
		}

		@Override
		public Thread virtual(String name, Runnable task) {
			return Thread.ofVirtual().name(name).unstarted(task);
		}

	}

}
