package io.github.resquepool.resque;

import java.time.Duration;

/**
 * The lock of a unique job, at {@code resquepool:unique:<class>:<sha1 of the key>}.
 *
 * @param className the Resque class name
 * @param key the key text
 * @param ttl the longest the lock lives
 */
public record UniqueLock(String className, String key, Duration ttl) {

	/**
	 * @return the key name under the namespace prefix
	 */
	public String name() {
		return "resquepool:unique:" + this.className + ":" + Sha1.hex(this.key);
	}

	String ttlMillis() {
		return Long.toString(Math.max(1, this.ttl.toMillis()));
	}

}
