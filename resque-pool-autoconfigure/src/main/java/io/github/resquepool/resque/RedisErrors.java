package io.github.resquepool.resque;

import java.util.Set;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;

/**
 * Sorts what can go wrong with a Redis command into the few cases the pool treats
 * differently:
 * <ul>
 * <li>a refusal ({@link RedisRefusedException}): Redis is there but will not serve now,
 * such as {@code LOADING}, {@code BUSY}, {@code READONLY}, {@code MASTERDOWN},
 * {@code TRYAGAIN}, {@code OOM}: an outage, waited out with backoff;</li>
 * <li>an error answer ({@link RedisCommandException}): Redis answered and the command
 * itself failed, which is a fault of the caller or of the data;</li>
 * <li>{@code WRONGTYPE} and {@code NOSCRIPT}, which the stores handle themselves;</li>
 * <li>anything else ({@link ResqueRedisException}): Redis could not be reached.</li>
 * </ul>
 */
final class RedisErrors {

	/**
	 * Error codes Redis answers while it cannot serve for a while. {@code NOAUTH} and
	 * {@code WRONGPASS} are here too: a password rotated on the server is fixed by an
	 * operator, not by restarting workers.
	 */
	private static final Set<String> REFUSALS = Set.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "OOM",
			"NOREPLICAS", "MISCONF", "CLUSTERDOWN", "NOAUTH", "WRONGPASS", "NOPERM", "UNBLOCKED", "NOMASTERLINK");

	private RedisErrors() {
	}

	/**
	 * @param cause what a command failed with
	 * @return the exception to throw for it
	 */
	static RuntimeException classify(Throwable cause) {
		if (cause instanceof RedisNoScriptException) {
			return new NoScriptException();
		}
		if (cause instanceof RedisCommandExecutionException) {
			String message = String.valueOf(cause.getMessage());
			String code = code(message);
			if (code.equals("WRONGTYPE")) {
				return new WrongTypeException(message);
			}
			if (REFUSALS.contains(code) || isScriptRefusal(message)) {
				return new RedisRefusedException(refusalCode(code, message), message, cause);
			}
			return new RedisCommandException("Redis refused a command: " + message, cause);
		}
		if (cause instanceof ResqueRedisException known) {
			return known;
		}
		return new ResqueRedisException("Redis command failed: " + cause.getMessage(), cause);
	}

	/**
	 * The first word of an error answer: {@code OOM command not allowed ...} gives
	 * {@code OOM}.
	 * @param message the message
	 * @return its code
	 */
	static String code(String message) {
		int end = 0;
		while (end < message.length() && !Character.isWhitespace(message.charAt(end))) {
			end++;
		}
		return message.substring(0, end);
	}

	/**
	 * A refusal raised inside a script by a command it called carries the refusal's text
	 * inside an {@code ERR} answer on older servers, for example
	 * {@code ERR Error running script ... -OOM}.
	 */
	private static boolean isScriptRefusal(String message) {
		return message.startsWith("ERR") && REFUSALS.stream().anyMatch((code) -> message.contains("-" + code + " "));
	}

	private static String refusalCode(String code, String message) {
		if (REFUSALS.contains(code)) {
			return code;
		}
		return REFUSALS.stream().filter((c) -> message.contains("-" + c + " ")).findFirst().orElse(code);
	}

	/** The script is not in Redis' script cache. */
	static final class NoScriptException extends RuntimeException {

		NoScriptException() {
			super(null, null, false, false);
		}

	}

	/** A key holds another type than the command expects. */
	static final class WrongTypeException extends RuntimeException {

		WrongTypeException(String message) {
			super(message, null, false, false);
		}

	}

}
