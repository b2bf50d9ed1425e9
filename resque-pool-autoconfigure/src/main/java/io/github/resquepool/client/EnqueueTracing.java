package io.github.resquepool.client;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Wraps an enqueue of {@link ResqueClient} to carry the trace context of the caller into
 * the payload, as extra top-level fields ({@code "traceparent"}, {@code "tracestate"}
 * with W3C propagation). {@code io.github.resquepool.metrics.ResqueEnqueueObservation} is
 * the implementation on Micrometer's Observation API.
 */
@FunctionalInterface
public interface EnqueueTracing {

	/**
	 * Runs one enqueue.
	 * @param queue the queue
	 * @param className the payload's class
	 * @param enqueue renders and writes the payload, adding the fields it is given
	 * (string keys and values) at the end of the payload's top level
	 */
	void enqueue(String queue, String className, Consumer<Map<String, String>> enqueue);

}
