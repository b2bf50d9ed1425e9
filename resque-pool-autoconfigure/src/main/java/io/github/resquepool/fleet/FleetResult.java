package io.github.resquepool.fleet;

import java.util.List;

/**
 * What a fleet command did: stored as override {@code seq}, and how far each pool in its
 * scope got within the acknowledgement timeout.
 *
 * @param action the command: {@code pause}, {@code resume}, {@code scale}, {@code reset},
 * {@code pause-queue} or {@code resume-queue}
 * @param scope what it covers, in words
 * @param seq the override's sequence number (the fleet's version for a reset, 0 for a
 * queue)
 * @param version the fleet's version the write made, which the pools acknowledge (0 for a
 * queue); with {@code seq}, what
 * {@link ResqueFleet#acknowledgements(FleetScope, String, Integer, long, long)} follows
 * @param pools one entry per pool in scope
 */
public record FleetResult(String action, String scope, long seq, long version, List<PoolAck> pools) {

	/**
	 * How far one pool got.
	 *
	 * @param id the pool's id
	 * @param status {@code applied}, {@code pending}, {@code failed} or {@code offline}
	 * @param message what is pending, why it failed, or {@code null}
	 */
	public record PoolAck(String id, String status, String message) {

		static PoolAck applied(String id) {
			return new PoolAck(id, "applied", null);
		}

		static PoolAck pending(String id, String message) {
			return new PoolAck(id, "pending", message);
		}

		static PoolAck failed(String id, String message) {
			return new PoolAck(id, "failed", message);
		}

		static PoolAck offline(String id) {
			return new PoolAck(id, "offline", "the pool does not beat now; it applies the command when it is back");
		}

	}

}
