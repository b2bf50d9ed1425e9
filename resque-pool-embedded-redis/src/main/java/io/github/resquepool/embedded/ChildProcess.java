package io.github.resquepool.embedded;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process this JVM started, a Redis server or a second JVM, that never outlives it:
 * every one is in one registry until it exits, and one shutdown hook
 * ({@code child-process-shutdown}) stops those still running when the JVM exits normally
 * or is asked to terminate (it cannot run after {@code SIGKILL}). Fault injection freezes
 * ({@code SIGSTOP}) and thaws ({@code SIGCONT}) it through {@link Signals}.
 */
final class ChildProcess {

	/** What the shutdown hook does with a child still running. */
	enum OnJvmExit {

		/**
		 * {@code SIGKILL} at once: a JVM under test, whose shutdown the test did not ask
		 * for.
		 */
		KILL,

		/**
		 * {@code SIGTERM}, after the {@linkplain #holdOnJvmExit(Duration) hold} if any,
		 * and {@code SIGKILL} 5 seconds later: a server.
		 */
		TERMINATE

	}

	private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

	private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

	private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

	private static final List<Runnable> AFTER_EXIT = new CopyOnWriteArrayList<>();

	private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();

	private final Process process;

	private final OnJvmExit onJvmExit;

	private volatile boolean frozen;

	private volatile Duration hold;

	private ChildProcess(Process process, OnJvmExit onJvmExit) {
		this.process = process;
		this.onJvmExit = onJvmExit;
	}

	/**
	 * Starts a process and registers it until it exits.
	 * @param builder the process to start
	 * @param onJvmExit what the shutdown hook does with it
	 * @return the running child
	 * @throws IOException when it cannot be started
	 */
	static ChildProcess start(ProcessBuilder builder, OnJvmExit onJvmExit) throws IOException {
		registerShutdownHook();
		ChildProcess child = new ChildProcess(builder.start(), onJvmExit);
		LIVE.add(child);
		child.process.onExit().thenRun(() -> LIVE.remove(child));
		return child;
	}

	/**
	 * Runs {@code cleanup} in the shutdown hook once every child is gone, for example to
	 * delete the folders they wrote to.
	 * @param cleanup what to run
	 */
	static void afterChildrenAtJvmExit(Runnable cleanup) {
		registerShutdownHook();
		AFTER_EXIT.add(cleanup);
	}

	Process process() {
		return this.process;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Freezes the process ({@code SIGSTOP}) and returns once the kernel reports it
	 * stopped (on Linux); does nothing when it is frozen already.
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	void freeze() {
		if (this.frozen) {
			return;
		}
		// Set first: the shutdown hook must SIGKILL a process that may be stopped.
		this.frozen = true;
		try {
			Signals.stop(pid());
		}
		catch (RuntimeException ex) {
			this.frozen = false;
			throw ex;
		}
		log.debug("Froze process {}", pid());
	}

	/**
	 * Lets a frozen process go on ({@code SIGCONT}); does nothing when it is not frozen.
	 * @throws IllegalStateException when the signal cannot be sent
	 */
	void thaw() {
		if (!this.frozen) {
			return;
		}
		if (this.process.isAlive()) {
			Signals.resume(pid());
		}
		this.frozen = false;
		log.debug("Thawed process {}", pid());
	}

	boolean isFrozen() {
		return this.frozen && this.process.isAlive();
	}

	/**
	 * Kills the process ({@code SIGKILL}), frozen or not, and waits until it is gone.
	 * @param timeout how long to wait
	 * @throws IllegalStateException when it is still alive after {@code timeout}, or when
	 * interrupted
	 */
	void kill(Duration timeout) {
		this.process.destroyForcibly();
		this.frozen = false;
		if (!awaitExit(timeout)) {
			throw new IllegalStateException(
					"Process " + pid() + " is still alive " + timeout.toSeconds() + " s after SIGKILL");
		}
		log.debug("Killed process {}", pid());
	}

	/**
	 * Stops the process as a server is stopped: thaws it if frozen, asks it to terminate
	 * ({@code SIGTERM}), and kills it when it is still running after {@code grace}.
	 * @param grace how long it may take to terminate
	 */
	void terminate(Duration grace) {
		if (this.frozen) {
			try {
				thaw();
			}
			catch (RuntimeException ex) {
				log.warn("Cannot thaw process {} before stopping it; killing it", pid(), ex);
				this.process.destroyForcibly();
			}
			this.frozen = false;
		}
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Process {} did not stop within {} s; killing it", pid(), grace.toSeconds());
				this.process.destroyForcibly();
				this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		log.debug("Stopped process {}", pid());
	}

	/**
	 * Waits until the process exits.
	 * @param timeout how long to wait at most
	 * @return whether it exited
	 * @throws IllegalStateException when interrupted
	 */
	boolean awaitExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for process " + pid() + " to exit", ex);
		}
	}

	/**
	 * Lets the shutdown hook wait up to {@code max} for this process to be stopped by its
	 * owner before it stops it itself.
	 * @param max how long the hook waits
	 */
	void holdOnJvmExit(Duration max) {
		this.hold = max;
	}

	private static void registerShutdownHook() {
		if (HOOK_REGISTERED.compareAndSet(false, true)) {
			Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAllAtJvmExit, "child-process-shutdown"));
		}
	}

	/** Shutdown hook body: works on the processes only, never on their owners' locks. */
	private static void stopAllAtJvmExit() {
		List<ChildProcess> children = List.copyOf(LIVE);
		for (ChildProcess child : children) {
			// SIGTERM would wait for a SIGCONT that never comes; SIGKILL does not.
			if (child.frozen || child.onJvmExit == OnJvmExit.KILL) {
				child.process.destroyForcibly();
			}
		}
		for (ChildProcess child : children) {
			if (child.onJvmExit == OnJvmExit.TERMINATE && !child.frozen) {
				Duration hold = child.hold;
				if (hold != null) {
					try {
						child.process.waitFor(hold.toMillis(), TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				child.process.destroy();
			}
		}
		long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
		for (ChildProcess child : children) {
			try {
				long left = deadline - System.nanoTime();
				if (left <= 0 || !child.process.waitFor(left, TimeUnit.NANOSECONDS)) {
					child.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				child.process.destroyForcibly();
			}
		}
		for (Runnable cleanup : AFTER_EXIT) {
			try {
				cleanup.run();
			}
			catch (RuntimeException ex) {
				// the JVM is exiting: nothing left to tell
			}
		}
	}

}
