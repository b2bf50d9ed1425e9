package io.github.resquepool.fleet;

import java.time.Instant;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request to cancel the job a worker runs, as stored at
 * {@code resquepool:cancel:<worker id>} and read by the pool that runs the worker.
 *
 * @param seq its number in the fleet's sequence
 * @param sha the SHA-1 of the working status of the job to cancel: a pool cancels only
 * that job, never the worker's next
 * @param pool the pool that runs the worker
 * @param by who asked
 * @param at when
 * @param state {@link #REQUESTED} until the pool cancelled the job, then
 * {@link #CANCELLING}, or {@link #MISSED} when the job ended first
 */
public record CancelRequest(long seq, String sha, String pool, String by, Instant at, String state) {

	/** Stored, not yet applied by the pool. */
	public static final String REQUESTED = "requested";

	/** The pool found the job running and cancelled it; it ends soon. */
	public static final String CANCELLING = "cancelling";

	/** The pool found the job ended by itself before it could cancel it. */
	public static final String MISSED = "missed";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Reads a stored request.
	 * @param json the stored text
	 * @return the request, or {@code null} when the text is not one
	 */
	public static CancelRequest parse(String json) {
		try {
			CancelRequest request = JSON.readValue(json, CancelRequest.class);
			return (request.sha() != null && request.state() != null) ? request : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * @return the request as stored
	 */
	public String toJson() {
		return JSON.writeValueAsString(this);
	}

	/**
	 * @return the request without the fields the storing script adds ({@code seq},
	 * {@code sha}, {@code pool}), as a JSON object
	 */
	String toJsonWithoutIds() {
		return JSON.writeValueAsString(new Partial(this.by, this.at, this.state));
	}

	/**
	 * @param newState a state
	 * @return this request in that state
	 */
	public CancelRequest withState(String newState) {
		return new CancelRequest(this.seq, this.sha, this.pool, this.by, this.at, newState);
	}

	private record Partial(String by, Instant at, String state) {
	}

}
