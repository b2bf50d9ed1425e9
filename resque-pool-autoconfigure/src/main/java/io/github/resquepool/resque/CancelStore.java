package io.github.resquepool.resque;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

/**
 * Cancels of running jobs, asked for from any process through the fleet: one request per
 * worker at {@code resquepool:cancel:<worker id>}, a JSON object naming the job by the
 * SHA-1 of its working status ({@code sha}), the pool that runs it, who asked and when,
 * and its {@code state}: {@code requested}, then {@code cancelling} once the pool found
 * the job still running and cancelled it. It expires after {@link #TTL}.
 */
public final class CancelStore extends RedisStore {

	/** How long a cancel request is kept. */
	public static final Duration TTL = Duration.ofDays(1);

	/** The longest cancel request read: the pool writes a few hundred bytes. */
	static final int MAX_REQUEST_BYTES = 16 * 1024;

	private final LuaScript request = LuaScript.load("fleet-cancel");

	private final LuaScript read = LuaScript.load("fleet-cancel-read");

	CancelStore(ResqueConnection connection, ResqueKeys keys) {
		super(connection, keys);
	}

	/**
	 * Asks for the cancel of the job a worker runs now.
	 * @param workerId the worker
	 * @param jsonWithoutIds the request as a JSON object, without {@code seq},
	 * {@code sha} and {@code pool}
	 * @return what became of it
	 */
	public Requested request(String workerId, String jsonWithoutIds) {
		List<Object> answer = list(script(this.request, ScriptOutputType.MULTI,
				List.of(workerId, jsonWithoutIds, Long.toString(TTL.toSeconds()))));
		String kind = string(answer.get(0));
		return switch (kind) {
			case "stored" -> new Requested(kind, (Long) answer.get(1), (Long) answer.get(2), string(answer.get(3)),
					string(answer.get(4)));
			case "idle" -> new Requested(kind, 0, 0, string(answer.get(1)), null);
			default -> new Requested(kind, 0, 0, null, null);
		};
	}

	/**
	 * Reads the cancel requests of some workers, in one call.
	 * @param workerIds the workers
	 * @return the requests (JSON) by worker id, for those that have one
	 */
	public Map<String, String> requests(List<String> workerIds) {
		Map<String, String> found = new LinkedHashMap<>();
		if (workerIds.isEmpty()) {
			return found;
		}
		List<Object> values = read(workerIds, false);
		for (int i = 0; i < values.size(); i++) {
			if (values.get(i) != null) {
				found.put(workerIds.get(i), string(values.get(i)));
			}
		}
		return found;
	}

	/**
	 * Replaces a request that still exists, keeping its lifetime.
	 * @param workerId the worker
	 * @param json the request
	 */
	public void update(String workerId, String json) {
		this.connection.call((c) -> c.set(key(workerId), bytes(json), SetArgs.Builder.xx().keepttl()));
	}

	/**
	 * Reads a request and the job the worker runs now, together.
	 * @param workerId the worker
	 * @return the request (JSON, or {@code null}) and the SHA-1 of the worker's working
	 * status (or {@code null} when it runs none)
	 */
	public State state(String workerId) {
		List<Object> values = read(List.of(workerId), true);
		return new State(string(values.get(0)), string(values.get(1)));
	}

	/**
	 * Reads requests of at most {@value #MAX_REQUEST_BYTES} bytes (a longer value is not
	 * one of ours, and is skipped without being sent), and with {@code digests} the SHA-1
	 * of each worker's working status, computed in Redis.
	 */
	private List<Object> read(List<String> workerIds, boolean digests) {
		List<String> args = new ArrayList<>(List.of(Integer.toString(MAX_REQUEST_BYTES), digests ? "1" : "0"));
		args.addAll(workerIds);
		return list(script(this.read, ScriptOutputType.MULTI, args));
	}

	private String key(String workerId) {
		return this.keys.key("resquepool:cancel:" + workerId);
	}

	/**
	 * What a cancel request found.
	 *
	 * @param kind {@code stored}, {@code idle} (the worker runs no job), {@code unknown}
	 * (no such worker) or {@code foreign} (a worker of no resque-pool, a Ruby worker)
	 * @param seq the request's sequence number, 0 unless stored
	 * @param version the fleet's new version, 0 unless stored
	 * @param pool the pool that runs the worker, or {@code null}
	 * @param sha the SHA-1 of the working status of the job to cancel, or {@code null}
	 */
	public record Requested(String kind, long seq, long version, String pool, String sha) {
	}

	/**
	 * A request and the job its worker runs now.
	 *
	 * @param request the request (JSON), or {@code null} when it expired or never was
	 * @param runningSha the SHA-1 of the worker's working status, or {@code null}
	 */
	public record State(String request, String runningSha) {
	}

}
