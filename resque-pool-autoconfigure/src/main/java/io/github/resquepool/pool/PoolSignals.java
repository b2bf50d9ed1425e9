package io.github.resquepool.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import io.github.resquepool.thread.ResqueThreads;

/**
 * The Ruby pool managers' signals, for operators who run the JVM under systemd or
 * Upstart: {@code HUP} reloads (what {@code systemctl reload} sends), {@code TTIN} and
 * {@code TTOU} scale the only group (or the group named {@code default}) up and down by
 * one, {@code USR2} pauses and {@code CONT} resumes. Each is logged like an HTTP write.
 * The JVM keeps {@code TERM} and {@code INT} (a graceful stop through Spring's shutdown
 * hook) and {@code QUIT} (a thread dump) for itself. Handlers hand the work to a thread
 * of their own and return at once.
 */
public final class PoolSignals {

	private static final Log logger = LogFactory.getLog(PoolSignals.class);

	private final ResquePool pool;

	private final ResqueThreads threads;

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	/**
	 * Creates the handlers of a pool; nothing is installed before {@link #install()}.
	 * @param pool the pool
	 */
	public PoolSignals(ResquePool pool) {
		this(pool, ResqueThreads.standard());
	}

	/**
	 * Creates the handlers of a pool; nothing is installed before {@link #install()}.
	 * @param pool the pool
	 * @param threads makes the thread each signal is handled on
	 */
	public PoolSignals(ResquePool pool, ResqueThreads threads) {
		this.pool = pool;
		this.threads = threads;
	}

	/** Installs the handlers, keeping the ones they replace for {@link #uninstall()}. */
	public void install() {
		handle("HUP", (p) -> {
			ReloadResult result = p.reload();
			logger.info("Signal HUP: reload " + (result.applied() ? "applied: " + String.join("; ", result.changes())
					: "refused: " + result.error()));
		});
		handle("TTIN", (p) -> scaleBy(p, 1, "TTIN"));
		handle("TTOU", (p) -> scaleBy(p, -1, "TTOU"));
		handle("USR2", (p) -> {
			logger.info("Signal USR2: pausing the pool");
			p.pause();
		});
		handle("CONT", (p) -> {
			logger.info("Signal CONT: resuming the pool");
			p.resume();
		});
	}

	/** Puts the handlers back that {@link #install()} replaced. */
	public void uninstall() {
		this.previous.forEach(Signal::handle);
		this.previous.clear();
	}

	private void handle(String name, Consumer<ResquePool> action) {
		try {
			Signal signal = new Signal(name);
			SignalHandler old = Signal.handle(signal,
					(s) -> this.threads
						.platform("resque-pool-signal-" + name, Thread.currentThread().isDaemon(),
								() -> run(name, action))
						.start());
			this.previous.put(signal, old);
			if (old == SignalHandler.SIG_IGN) {
				// The JVM installs no handler for a signal the process ignores from its
				// start (HUP under nohup, for one): say so, or the signal would do
				// nothing.
				logger.warn("SIG" + name + " is ignored by this process (started under nohup or with the signal "
						+ "ignored), so resque-pool's handler for it does not run");
			}
		}
		catch (IllegalArgumentException ex) {
			logger.warn("resque-pool cannot handle SIG" + name + " on this JVM (" + ex.getMessage() + ")");
		}
	}

	private void run(String name, Consumer<ResquePool> action) {
		try {
			action.accept(this.pool);
		}
		catch (RuntimeException ex) {
			logger.warn("Signal " + name + " refused, nothing changed: " + ex.getMessage());
		}
	}

	private static void scaleBy(ResquePool pool, int delta, String signal) {
		List<PoolStatus.Group> groups = pool.status().groups();
		PoolStatus.Group target = (groups.size() == 1) ? groups.get(0)
				: groups.stream().filter((g) -> g.name().equals("default")).findFirst().orElse(null);
		if (target == null) {
			logger.warn("Signal " + signal + " refused: the pool has " + groups.size()
					+ " groups and none named 'default'");
			return;
		}
		int count = Math.max(0, target.count() + delta);
		int before = pool.scale(target.name(), count);
		logger.info("Signal " + signal + ": scaled group '" + target.name() + "' from " + before + " to " + count);
	}

}
