package io.github.resquepool.embedded;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Reads fields of Redis' {@code INFO} reply, such as {@code process_id} of section
 * {@code server} or {@code master_link_status} of section {@code replication}.
 */
final class RedisInfo {

	private RedisInfo() {
	}

	/**
	 * Asks a server for one section of {@code INFO} and returns one of its fields.
	 * @param host the server's address
	 * @param port its port
	 * @param section the section
	 * @param field the field
	 * @return its value, or {@code null} when the section has no such field
	 */
	static String field(String host, int port, String section, String field) {
		try (StatefulRedisConnection<String, String> connection = RedisConnections.open(host, port)) {
			return field(connection.sync().info(section), field);
		}
	}

	/**
	 * Returns one field of an {@code INFO} reply.
	 * @param reply the reply
	 * @param field the field
	 * @return its value, or {@code null} when the reply has no such field
	 */
	static String field(Object reply, String field) {
		if (reply instanceof String info) {
			for (String line : info.split("\r?\n")) {
				if (line.startsWith(field + ":")) {
					return line.substring(field.length() + 1).trim();
				}
			}
		}
		return null;
	}

}
