package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.ScriptOutputType;

/**
 * What every store shares: the connection, the key names of the namespace, and the
 * conversions between Redis' bytes and Java strings. Each store reads and writes one kind
 * of record.
 */
abstract class RedisStore {

	/** The connection. */
	protected final ResqueConnection connection;

	/** The key names. */
	protected final ResqueKeys keys;

	private final byte[] prefix;

	RedisStore(ResqueConnection connection, ResqueKeys keys) {
		this.connection = connection;
		this.keys = keys;
		this.prefix = bytes(keys.prefix());
	}

	/**
	 * @return the key prefix as the scripts take it (their first argument)
	 */
	protected byte[] prefix() {
		return this.prefix;
	}

	/**
	 * Runs a script whose arguments are the key prefix followed by {@code args}.
	 * @param script the script
	 * @param type its answer's type
	 * @param args the arguments after the prefix
	 * @return the answer
	 */
	protected Object script(LuaScript script, ScriptOutputType type, List<String> args) {
		byte[][] values = new byte[args.size() + 1][];
		values[0] = this.prefix;
		for (int i = 0; i < args.size(); i++) {
			values[i + 1] = bytes(args.get(i));
		}
		return this.connection.eval(script, type, values);
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (value != null) ? (List<Object>) value : List.of();
	}

	static List<String> stringList(Object value) {
		return list(value).stream().map(RedisStore::string).toList();
	}

	static Set<String> strings(Collection<byte[]> values) {
		Set<String> result = new TreeSet<>();
		values.forEach((v) -> result.add(string(v)));
		return result;
	}

	static String string(Object value) {
		if (value == null) {
			return null;
		}
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
	}

	/**
	 * @param value a counter's value as stored
	 * @return the number, 0 when it is absent or not a whole number
	 */
	static long number(byte[] value) {
		String text = string(value);
		if (text == null || text.isBlank()) {
			return 0;
		}
		try {
			return Long.parseLong(text.strip());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
