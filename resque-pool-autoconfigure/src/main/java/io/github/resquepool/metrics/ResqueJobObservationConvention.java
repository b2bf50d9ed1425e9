package io.github.resquepool.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of the observation of each job. Declare a bean of this type to
 * replace {@link DefaultResqueJobObservationConvention} (or extend it), as with
 * spring-kafka's {@code KafkaListenerObservationConvention}.
 */
public interface ResqueJobObservationConvention extends ObservationConvention<ResqueJobObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ResqueJobObservationContext;
	}

}
