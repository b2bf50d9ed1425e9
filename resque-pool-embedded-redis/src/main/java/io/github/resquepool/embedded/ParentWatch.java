package io.github.resquepool.embedded;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child side of {@link ChildJvm}: a daemon thread ({@code child-jvm-parent-watch})
 * that ends this JVM when the JVM that started it is gone or its lifetime is over, so
 * that a child outlives neither a parent killed with {@code SIGKILL} nor its lifetime.
 */
final class ParentWatch {

	private static final Duration PARENT_POLL = Duration.ofMillis(200);

	private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

	private static final AtomicBoolean WATCHING = new AtomicBoolean();

	private ParentWatch() {
	}

	/** See {@link ChildJvm#exitWithParent()}. */
	static void start() {
		String value = System.getProperty(ChildJvm.PARENT_PID_PROPERTY);
		if (value == null || !WATCHING.compareAndSet(false, true)) {
			return;
		}
		long parentPid = Long.parseLong(value.trim());
		// The handle remembers the parent's start time, so a new process that reuses the
		// pid is not taken for the parent.
		Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
		String lifetime = System.getProperty(ChildJvm.LIFETIME_PROPERTY);
		long lifetimeNanos = (lifetime != null) ? Duration.ofMillis(Long.parseLong(lifetime.trim())).toNanos()
				: Long.MAX_VALUE;
		long start = System.nanoTime();
		Thread watcher = new Thread(() -> {
			while (parent.map(ProcessHandle::isAlive).orElse(false)) {
				if (System.nanoTime() - start >= lifetimeNanos) {
					exit(ChildJvm.LIFETIME_OVER_EXIT_CODE, "Lifetime of " + lifetime + " ms is over");
					return;
				}
				try {
					Thread.sleep(PARENT_POLL.toMillis());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
			exit(ChildJvm.PARENT_GONE_EXIT_CODE, "Parent JVM " + parentPid + " is gone");
		}, "child-jvm-parent-watch");
		watcher.setDaemon(true);
		watcher.start();
	}

	/**
	 * Exits this JVM with {@code code}, running its shutdown hooks; halts if they take
	 * longer than 10 seconds.
	 */
	private static void exit(int code, String reason) {
		System.err.println(reason + "; exiting with code " + code);
		Thread halter = new Thread(() -> {
			try {
				Thread.sleep(EXIT_GRACE.toMillis());
			}
			catch (InterruptedException ex) {
				// fall through and halt
			}
			Runtime.getRuntime().halt(code);
		}, "child-jvm-halt");
		halter.setDaemon(true);
		halter.start();
		System.exit(code);
	}

}
