package io.github.resquepool.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.Ordered;

import io.github.resquepool.job.DontPerform;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobExecution;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobInterrupt;

/**
 * Wraps each job in an {@link Observation} ({@value #NAME} by default), the outermost of
 * the around hooks, so that tracing sees each job as a span, continuing the trace of the
 * enqueue when the payload carries one, and what the job does as its children. Its name
 * and key values come from a {@link ResqueJobObservationConvention}
 * ({@link DefaultResqueJobObservationConvention} unless one is given). A job skipped with
 * {@link DontPerform} is not an error.
 */
public class ResqueJobObservationInterceptor implements JobInterceptor, Ordered {

	/** The name of the observation. */
	public static final String NAME = DefaultResqueJobObservationConvention.NAME;

	private static final ResqueJobObservationConvention DEFAULT = new DefaultResqueJobObservationConvention();

	private final ObservationRegistry registry;

	private final ResqueJobObservationConvention convention;

	/**
	 * Creates the interceptor with the default convention.
	 * @param registry the observation registry
	 */
	public ResqueJobObservationInterceptor(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * Creates the interceptor.
	 * @param registry the observation registry
	 * @param convention the convention that replaces the default one, or {@code null}
	 */
	public ResqueJobObservationInterceptor(ObservationRegistry registry, ResqueJobObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public void aroundPerform(JobContext job, Object[] args, JobExecution next) throws Exception {
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT, () -> new ResqueJobObservationContext(job), this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			next.proceed();
		}
		catch (DontPerform ex) {
			throw ex;
		}
		catch (JobInterrupt ex) {
			// Stopped at a checkpoint to resume later, or cancelled: not an error of the
			// job's code.
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
