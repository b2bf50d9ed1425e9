package io.github.resquepool.pool;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resquepool.resque.QueueSpec;

/**
 * Who the pool is in Redis. Worker ids follow Ruby's {@code <host>:<pid>:<queues>} with a
 * slot suffix on the pid, {@code <hostname>:<jvm pid>-<slot>:<queues>}, so Ruby reads the
 * JVM's pid and groups the workers with the host's Ruby workers. The pool id adds a
 * random part to host and pid, so a restarted JVM that gets the same pid (pid 1 in a
 * container) is a new pool.
 *
 * @param hostname the host name as {@code gethostname(2)} returns it, made URL-safe
 * @param pid the JVM's process id
 * @param poolId the pool's id, {@code <hostname>:<pid>:<random>}
 */
public record PoolIdentity(String hostname, long pid, String poolId) {

	/**
	 * Worker slots are counted per JVM, so that two pools of one JVM never share a worker
	 * id.
	 */
	private static final AtomicInteger SLOTS = new AtomicInteger();

	/** The pools running in this JVM, which are never taken for a dead predecessor. */
	private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the identity of a new pool.
	 * @param configuredHostname a host name to use instead of the system's, or
	 * {@code null}
	 * @return the identity
	 */
	public static PoolIdentity create(String configuredHostname) {
		String hostname = safe(
				(configuredHostname != null && !configuredHostname.isBlank()) ? configuredHostname : systemHostname());
		long pid = ProcessHandle.current().pid();
		String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
		return new PoolIdentity(hostname, pid, hostname + ":" + pid + ":" + nonce);
	}

	/**
	 * Creates the id of a new worker.
	 * @param queues the worker's queue list
	 * @return {@code <hostname>:<pid>-<slot>:<queues>}
	 */
	public String nextWorkerId(QueueSpec queues) {
		return this.hostname + ":" + this.pid + "-" + SLOTS.incrementAndGet() + ":" + queues.idPart();
	}

	/**
	 * Tells whether another pool ran in this very process before (the same host and pid),
	 * which means it is dead.
	 * @param otherPoolId another pool's id
	 * @return whether it is a predecessor
	 */
	public boolean isPredecessor(String otherPoolId) {
		return !LIVE.contains(otherPoolId) && otherPoolId.startsWith(this.hostname + ":" + this.pid + ":");
	}

	/** Marks this pool as running in this JVM. */
	void started() {
		LIVE.add(this.poolId);
	}

	/** Marks this pool as stopped. */
	void stopped() {
		LIVE.remove(this.poolId);
	}

	/**
	 * Reads the host name the kernel reports, as Ruby's {@code Socket.gethostname} does;
	 * Java's {@code InetAddress} may answer a different, resolved name.
	 * @return the host name
	 */
	public static String systemHostname() {
		try {
			Path kernel = Path.of("/proc/sys/kernel/hostname");
			if (Files.isReadable(kernel)) {
				String name = Files.readString(kernel).strip();
				if (!name.isEmpty()) {
					return name;
				}
			}
		}
		catch (IOException ex) {
			// fall through to the next source
		}
		String env = System.getenv("HOSTNAME");
		if (env != null && !env.isBlank()) {
			return env.strip();
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}

	/**
	 * Keeps a host name to the characters resque-web can put into links unescaped.
	 * @param hostname a host name
	 * @return the name with every other character replaced by {@code -}
	 */
	static String safe(String hostname) {
		return hostname.replaceAll("[^A-Za-z0-9._-]", "-");
	}

}
