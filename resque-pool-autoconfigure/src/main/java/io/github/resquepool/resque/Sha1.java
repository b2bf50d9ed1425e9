package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-1 in lower-case hex, as Redis' {@code redis.sha1hex} and {@code SCRIPT LOAD} write
 * it: script names, resque-retry keys, checkpoint keys and working-status digests.
 */
final class Sha1 {

	private Sha1() {
	}

	/**
	 * @param text text, hashed as UTF-8
	 * @return its SHA-1 in hex
	 */
	static String hex(String text) {
		return hex(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @param bytes bytes
	 * @return their SHA-1 in hex
	 */
	static String hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
