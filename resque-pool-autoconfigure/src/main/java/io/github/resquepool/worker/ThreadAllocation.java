package io.github.resquepool.worker;

import java.lang.management.ManagementFactory;

/**
 * The bytes the current thread allocated so far, where the JVM measures them: HotSpot's
 * {@code com.sun.management.ThreadMXBean} on a platform thread. A virtual thread, or a
 * JVM without the measurement, reads {@code -1}.
 */
final class ThreadAllocation {

	private static final com.sun.management.ThreadMXBean THREADS = threads();

	private ThreadAllocation() {
	}

	/**
	 * @return the bytes the current thread allocated so far, or {@code -1}
	 */
	static long current() {
		if (THREADS == null || Thread.currentThread().isVirtual()) {
			return -1;
		}
		return THREADS.getCurrentThreadAllocatedBytes();
	}

	/**
	 * @param before what {@link #current()} read before
	 * @return the bytes allocated since, or {@code -1} when either reading is unknown
	 */
	static long since(long before) {
		long now = current();
		return (before < 0 || now < 0) ? -1 : now - before;
	}

	private static com.sun.management.ThreadMXBean threads() {
		try {
			if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
					&& threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
				return threads;
			}
		}
		catch (LinkageError | RuntimeException ex) {
			// Not HotSpot's management API: allocations are not measured.
		}
		return null;
	}

}
