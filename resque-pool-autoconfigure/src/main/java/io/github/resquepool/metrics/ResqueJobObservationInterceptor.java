package io.github.resquepool.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.Ordered;

import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobExecution;
import io.github.resquepool.job.JobInterceptor;

/**
 * Wraps each job in an {@link Observation} named {@value #NAME}, the outermost of the around
 * hooks, so that tracing sees each job as a span and what the job does as its children. Its
 * low-cardinality keys are {@code resque.queue} and {@code resque.class} (both
 * {@linkplain BoundedTagValues bounded}); the worker id is a high-cardinality key. A job skipped
 * with {@link DontPerform} is not an error.
 */
public class ResqueJobObservationInterceptor implements JobInterceptor, Ordered {

	/** The name of the observation. */
	public static final String NAME = "resque.job.execution";

	private final ObservationRegistry registry;

	private final BoundedTagValues queues = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	private final BoundedTagValues classes = new BoundedTagValues(ResqueJobMetrics.DEFAULT_MAX_TAG_VALUES);

	/**
	 * Creates the interceptor.
	 * @param registry the observation registry
	 */
	public ResqueJobObservationInterceptor(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void aroundPerform(JobContext job, Object[] args, JobExecution next) throws Exception {
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName("resque " + job.className())
			.lowCardinalityKeyValue("resque.queue", this.queues.of(job.queue()))
			.lowCardinalityKeyValue("resque.class", this.classes.of(job.className()))
			.highCardinalityKeyValue("resque.worker", String.valueOf(job.workerId()))
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			next.proceed();
		}
		catch (DontPerform ex) {
			throw ex;
		}
		catch (Exception | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
