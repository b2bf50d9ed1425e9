package io.github.resquepool.resque;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What one turn of a worker found in Redis.
 */
public sealed interface Fetch {

	/**
	 * A job taken off a queue and recorded as the worker's current job in the same atomic
	 * step.
	 *
	 * @param queue the queue it came from
	 * @param payload the payload bytes exactly as they were in the queue
	 * @param statusSha the SHA-1 of the working status written for it, which identifies
	 * the job when its outcome is recorded
	 * @param resumed whether the job was already recorded for this worker (an answer lost
	 * on the way, or a predecessor with the same id) rather than taken now
	 * @param sequence the order in which this JVM took its jobs, so that jobs put back at
	 * the head of their queue keep their order
	 */
	record Job(String queue, byte[] payload, String statusSha, boolean resumed, long sequence) implements Fetch {

		/**
		 * @return the payload as text (invalid UTF-8 replaced)
		 */
		public String payloadText() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Nothing to do in any queue.
	 *
	 * @param unreadableQueues queues whose key holds something other than a list
	 */
	record Idle(List<String> unreadableQueues) implements Fetch {
	}

	/** {@code pause-all-workers} is set. */
	record Paused() implements Fetch {
	}

	/** Only an outcome was recorded; no job was asked for. */
	record Recorded() implements Fetch {
	}

	/**
	 * The pool's records are gone from Redis (it restarted empty, or another pool took
	 * this one for dead and recovered it): no job is taken until the pool has registered
	 * its workers again.
	 */
	record Unregistered() implements Fetch {
	}

}
