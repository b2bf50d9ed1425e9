package io.github.resquepool.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;

import io.github.resquepool.client.EnqueueTracing;

/**
 * Observes each enqueue as {@value #NAME} with a {@link SenderContext} whose carrier
 * becomes extra top-level payload fields: with Micrometer Tracing, its propagating
 * handler writes the caller's trace context there ({@code traceparent} and
 * {@code tracestate} with W3C propagation, Spring Boot's default), and the job's
 * observation continues that trace. Without a tracer the carrier stays empty and the
 * payload is unchanged. Low-cardinality keys: {@code resque.queue}, {@code resque.class}
 * (bounded).
 */
public class ResqueEnqueueObservation implements EnqueueTracing {

	/** The name of the observation. */
	public static final String NAME = "resque.job.enqueue";

	private final ObservationRegistry registry;

	private final BoundedTagValues queues = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	private final BoundedTagValues classes = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	/**
	 * Creates it.
	 * @param registry the observation registry
	 */
	public ResqueEnqueueObservation(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void enqueue(String queue, String className, Consumer<Map<String, String>> enqueue) {
		SenderContext<Map<String, String>> context = new SenderContext<>(
				(carrier, key, value) -> carrier.put(key, value));
		context.setCarrier(new LinkedHashMap<>());
		context.setRemoteServiceName("resque");
		Observation observation = Observation.createNotStarted(NAME, () -> context, this.registry)
			.contextualName("resque enqueue " + className)
			.lowCardinalityKeyValue("resque.queue", this.queues.of(queue))
			.lowCardinalityKeyValue("resque.class", this.classes.of(className))
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			enqueue.accept(context.getCarrier());
		}
		catch (RuntimeException | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
