package io.github.resquepool.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ResqueJobObservationInterceptorTests {

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final ResqueJobObservationInterceptor interceptor = new ResqueJobObservationInterceptor(this.registry);

	private final JobContext job = new JobContext("Mailers::Welcome", "mail", "host:1:mail", "{}");

	ResqueJobObservationInterceptorTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				ResqueJobObservationInterceptorTests.this.stopped.add(context);
			}

		});
	}

	@Test
	void aJobRunsInsideAnObservationThatIsCurrentWhileItRuns() throws Exception {
		Observation[] current = new Observation[1];
		this.interceptor.aroundPerform(this.job, new Object[0],
				() -> current[0] = this.registry.getCurrentObservation());
		assertThat(current[0]).isNotNull();
		assertThat(this.stopped).singleElement().satisfies((context) -> {
			assertThat(context.getName()).isEqualTo("resque.job.execution");
			assertThat(context.getContextualName()).isEqualTo("resque Mailers::Welcome");
			assertThat(context.getLowCardinalityKeyValue("resque.queue").getValue()).isEqualTo("mail");
			assertThat(context.getLowCardinalityKeyValue("resque.class").getValue()).isEqualTo("Mailers::Welcome");
			assertThat(context.getHighCardinalityKeyValue("resque.worker").getValue()).isEqualTo("host:1:mail");
			assertThat(context.getError()).isNull();
		});
	}

	@Test
	void aFailureIsTheObservationsError() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.interceptor.aroundPerform(this.job, new Object[0], () -> {
				throw new IllegalStateException("boom");
			}));
		assertThat(this.stopped).singleElement()
			.satisfies((context) -> assertThat(context.getError()).isInstanceOf(IllegalStateException.class));
	}

	@Test
	void aSkippedJobIsNotAnError() {
		assertThatExceptionOfType(DontPerform.class)
			.isThrownBy(() -> this.interceptor.aroundPerform(this.job, new Object[0], () -> {
				throw new DontPerform();
			}));
		assertThat(this.stopped).singleElement().satisfies((context) -> assertThat(context.getError()).isNull());
	}

}
