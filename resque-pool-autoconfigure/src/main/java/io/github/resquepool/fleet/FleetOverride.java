package io.github.resquepool.fleet;

import java.time.Instant;

/**
 * One stored fleet command: a pause, a resume or a count, for a scope, with who set it
 * and when. Of several overrides that cover a group, the one with the highest sequence
 * number wins.
 *
 * @param seq the sequence number Redis gave it ({@code INCR}); later writes have higher
 * ones
 * @param kind what it sets
 * @param scope the pools and groups it covers
 * @param count the number of workers, for {@link Kind#SCALE}
 * @param by who set it: the authenticated principal, else the host
 * @param at when it was set
 */
public record FleetOverride(long seq, Kind kind, FleetScope scope, Integer count, String by, Instant at) {

	/** What an override sets. */
	public enum Kind {

		/** Take no job until resumed. */
		PAUSE,

		/** Take jobs again. */
		RESUME,

		/** Run a number of workers. */
		SCALE;

		/**
		 * @return whether it is about pausing (pause or resume) rather than counts
		 */
		public boolean isPauseKind() {
			return this != SCALE;
		}

	}

	/**
	 * @return the field of the overrides hash it is stored under: one per kind family and
	 * scope
	 */
	String field() {
		return (this.kind.isPauseKind() ? "pause:" : "scale:") + this.scope.key();
	}

}
