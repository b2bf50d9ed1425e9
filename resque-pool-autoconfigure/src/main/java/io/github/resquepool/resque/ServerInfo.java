package io.github.resquepool.resque;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Facts about the Redis server: its clock, which every liveness decision uses so that
 * hosts with skewed clocks agree, and what start-up checks (the version, the eviction
 * policy).
 */
public final class ServerInfo extends RedisStore {

	/**
	 * The oldest Redis the pool works with: its scripts call {@code SMISMEMBER} (6.2).
	 */
	public static final Version MINIMUM = new Version(6, 2);

	ServerInfo(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * @return the {@code TIME} of Redis in milliseconds
	 */
	public long timeMillis() {
		List<byte[]> time = this.connection.call(RedisAsyncCommands::time);
		return Long.parseLong(string(time.get(0))) * 1000 + Long.parseLong(string(time.get(1))) / 1000;
	}

	/**
	 * Reads Redis {@code INFO}.
	 * @return every field of every default section, in the server's order
	 */
	public Map<String, String> info() {
		String info = this.connection.call((c) -> c.info());
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1));
			}
		}
		return fields;
	}

	/**
	 * Reads the server's version and eviction policy from {@code INFO} (not
	 * {@code CONFIG}, which managed services often refuse).
	 * @return what it found
	 */
	public Facts facts() {
		String server = this.connection.call((c) -> c.info("server"));
		String memory = this.connection.call((c) -> c.info("memory"));
		return new Facts(field(server, "redis_version").map(Version::parse).orElse(null),
				field(memory, "maxmemory_policy").orElse(null));
	}

	private static Optional<String> field(String info, String name) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return Optional.of(line.substring(name.length() + 1).strip());
			}
		}
		return Optional.empty();
	}

	/**
	 * Reads {@code notify-keyspace-events}.
	 * @return its value, or {@code null} when the server refuses {@code CONFIG} (managed
	 * services often do)
	 */
	public String keyspaceEvents() {
		try {
			Map<String, String> config = this.connection.call((c) -> c.configGet("notify-keyspace-events"));
			return config.getOrDefault("notify-keyspace-events", "");
		}
		catch (RedisCommandException ex) {
			return null;
		}
	}

	/**
	 * Adds list keyspace events ({@code E} and {@code l}) to
	 * {@code notify-keyspace-events}.
	 * @param current the value now
	 * @return whether the server took it
	 */
	public boolean enableListKeyspaceEvents(String current) {
		StringBuilder value = new StringBuilder(current);
		if (value.indexOf("E") < 0) {
			value.append('E');
		}
		if (value.indexOf("l") < 0 && value.indexOf("A") < 0) {
			value.append('l');
		}
		try {
			this.connection.call((c) -> c.configSet("notify-keyspace-events", value.toString()));
			return true;
		}
		catch (RedisCommandException ex) {
			return false;
		}
	}

	/**
	 * @param value a value of {@code notify-keyspace-events}
	 * @return whether it publishes the key events of list commands
	 */
	public static boolean publishesListKeyEvents(String value) {
		return value != null && value.contains("E") && (value.contains("l") || value.contains("A"));
	}

	/**
	 * What {@code INFO} told.
	 *
	 * @param version the server's version, or {@code null} when it does not say
	 * @param maxmemoryPolicy its eviction policy, or {@code null} when it does not say
	 */
	public record Facts(Version version, String maxmemoryPolicy) {

		/**
		 * @return whether the server is too old for the pool's scripts
		 */
		public boolean tooOld() {
			return this.version != null && this.version.compareTo(MINIMUM) < 0;
		}

		/**
		 * @return whether the server may evict keys, Resque's queues and records among
		 * them
		 */
		public boolean mayEvict() {
			return this.maxmemoryPolicy != null && !this.maxmemoryPolicy.equals("noeviction");
		}

	}

	/**
	 * A Redis version, major and minor.
	 *
	 * @param major the major version
	 * @param minor the minor version
	 */
	public record Version(int major, int minor) implements Comparable<Version> {

		static Version parse(String text) {
			String[] parts = text.split("\\.");
			try {
				return new Version(Integer.parseInt(parts[0]), (parts.length > 1) ? Integer.parseInt(parts[1]) : 0);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		@Override
		public int compareTo(Version other) {
			return (this.major != other.major) ? Integer.compare(this.major, other.major)
					: Integer.compare(this.minor, other.minor);
		}

		@Override
		public String toString() {
			return this.major + "." + this.minor;
		}

	}

}
