package io.github.resquepool.resque;

import java.time.Instant;

/**
 * What a job saved of itself while it ran: its cursor ({@code JobContext.checkpoint}) and
 * its progress ({@code JobContext.progress}), at
 * {@code resquepool:checkpoint:<class>:<sha1
 * of its arguments>}.
 *
 * @param cursor the cursor as JSON text, or {@code null} when none was saved
 * @param savedAt when the cursor was saved (Redis time), or {@code null}
 * @param workerId the worker that wrote last
 * @param progress the progress, or {@code null} when none was reported
 */
public record Checkpoint(String cursor, Instant savedAt, String workerId, Progress progress) {

	/**
	 * How far a job got, as it reported it.
	 *
	 * @param done how many units are done
	 * @param total how many there are in all, 0 when unknown
	 * @param message what it is doing, or {@code null}
	 * @param at when it reported it (Redis time)
	 */
	public record Progress(long done, long total, String message, Instant at) {

		/**
		 * @return the share done, from 0 to 100, or {@code -1} when the total is unknown
		 */
		public int percent() {
			if (this.total <= 0) {
				return -1;
			}
			return (int) Math.max(0, Math.min(100, this.done * 100 / this.total));
		}

	}

}
