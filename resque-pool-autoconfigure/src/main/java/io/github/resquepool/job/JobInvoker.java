package io.github.resquepool.job;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs one job on the calling thread, with the semantics of Ruby Resque's
 * {@code Resque::Job#perform}: registry lookup, argument binding, the before hooks of
 * every {@link JobInterceptor}, their around hooks nested (the first outermost) around
 * the handler, their after hooks, and on failure their on-failure hooks, once each.
 * <p>
 * While it runs, the SLF4J MDC (when SLF4J is present) holds {@code resque.queue},
 * {@code resque.class}, {@code resque.worker} and, for ActiveJob jobs,
 * {@code resque.job_id}; the values the thread had before are restored after the job.
 * <p>
 * It never throws: every outcome, including an unknown class name, unbindable arguments
 * and an interrupt, is reported as a {@link JobResult}. An {@link InterruptedException}
 * is reported as a failure with the interrupt flag of the thread set again.
 */
public final class JobInvoker {

	private static final Object[] NO_ARGUMENTS = {};

	private final JobRegistry registry;

	private final List<JobInterceptor> interceptors;

	private final Supplier<JsonMapper> mapper;

	/**
	 * Creates an invoker.
	 * @param registry the handlers
	 * @param interceptors the interceptors, in any order: they are sorted here by
	 * {@link AnnotationAwareOrderComparator}
	 * @param mapper the application's mapper, for the cursors of checkpointing jobs (each
	 * handler binds its arguments with the mapper it was registered with)
	 */
	public JobInvoker(JobRegistry registry, List<JobInterceptor> interceptors, Supplier<JsonMapper> mapper) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(interceptors, "'interceptors' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		List<JobInterceptor> sorted = new ArrayList<>(interceptors);
		AnnotationAwareOrderComparator.sort(sorted);
		this.registry = registry;
		this.interceptors = List.copyOf(sorted);
		// Looked up once: an ObjectProvider lookup per job cost a fifth of the JVM's
		// time per job.
		this.mapper = SingletonSupplier.of(mapper);
	}

	/**
	 * @return the application's mapper, which reads and writes the cursors of
	 * checkpointing jobs
	 */
	public JsonMapper mapper() {
		return this.mapper.get();
	}

	/**
	 * Runs one job: lookup (an unknown name fails with an {@link UnknownJobException}),
	 * binding (a mismatch fails with a {@link JobArgumentException}), the before hooks,
	 * the around hooks (nested) and the handler, the after hooks; on failure the
	 * on-failure hooks, once each.
	 * <p>
	 * For an ActiveJob job ({@link JobContext#activeJob()} set) the arguments are the job
	 * hash's {@code arguments}, read by {@link ActiveJobArguments#deserialize};
	 * {@code args} is not used.
	 * @param context the job
	 * @param args the payload's arguments, {@code null} for none
	 * @return what became of the job
	 */
	public JobResult invoke(JobContext context, ArrayNode args) {
		Assert.notNull(context, "'context' must not be null");
		return invoke(context, args, this.registry.find(context.className()).orElse(null));
	}

	/**
	 * Runs one job, as {@link #invoke(JobContext, ArrayNode)}, with the handler the
	 * caller already looked up, so that a job's handler is found once on its way.
	 * @param context the job
	 * @param args the payload's arguments, {@code null} for none
	 * @param handler the handler of the job's class name, or {@code null} when it has
	 * none (the job then fails with an {@link UnknownJobException})
	 * @return what became of the job
	 */
	public JobResult invoke(JobContext context, ArrayNode args, JobHandler handler) {
		Assert.notNull(context, "'context' must not be null");
		if (!JobMdc.AVAILABLE) {
			return run(context, args, handler);
		}
		try (JobMdc mdc = JobMdc.put(context)) {
			return run(context, args, handler);
		}
	}

	private JobResult run(JobContext context, ArrayNode args, JobHandler handler) {
		if (handler == null) {
			return JobResult.failed(new UnknownJobException(context.className(), this.registry.names()));
		}
		Object[] arguments;
		try {
			ArrayNode given = context.isActiveJob()
					? ActiveJobArguments.deserialize(context.className(), context.activeJob().arguments()) : args;
			arguments = handler.bindArguments(given, context);
		}
		catch (RuntimeException ex) {
			return failed(context, NO_ARGUMENTS, ex);
		}
		return perform(handler, context, arguments);
	}

	private JobResult perform(JobHandler handler, JobContext job, Object[] args) {
		try {
			for (JobInterceptor interceptor : this.interceptors) {
				interceptor.beforePerform(job, args);
			}
		}
		catch (DontPerform ex) {
			return JobResult.notPerformed(ex);
		}
		catch (Throwable ex) {
			return failed(job, args, ex);
		}
		Run run = new Run(handler, job, args);
		try {
			run.around(0).proceed();
		}
		catch (Throwable ex) {
			// As in Ruby, only a before hook skips a job with DontPerform; from the
			// handler or an
			// around hook it is a failure like any other.
			return failed(job, args, ex);
		}
		try {
			for (JobInterceptor interceptor : this.interceptors) {
				interceptor.afterPerform(job, args);
			}
		}
		catch (Throwable ex) {
			return failed(job, args, ex);
		}
		return run.performed ? JobResult.performed() : JobResult.notPerformed(null);
	}

	private JobResult failed(JobContext job, Object[] args, Throwable error) {
		JobInterrupt stop = JobInterrupt.in(error);
		if (stop != null && stop.reason() != JobInterrupt.Reason.CANCELLED && !job.isCancelled()) {
			// The job stopped at a checkpoint to resume later: not a failure, so no
			// on-failure hook runs; the worker puts it back on its queue.
			return JobResult.failed(error);
		}
		boolean interrupted = error instanceof InterruptedException;
		Throwable recorded = error;
		for (JobInterceptor interceptor : this.interceptors) {
			try {
				interceptor.onFailure(job, args, error);
			}
			catch (Throwable hookError) {
				interrupted |= hookError instanceof InterruptedException;
				if (recorded == error) {
					recorded = combined(error, interceptor, hookError);
				}
				else {
					recorded.addSuppressed(hookError);
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return JobResult.failed(recorded);
	}

	private static RuntimeException combined(Throwable error, JobInterceptor interceptor, Throwable hookError) {
		RuntimeException combined = new RuntimeException(error.getClass().getName() + ": " + error.getMessage()
				+ " (and on-failure hook " + ClassUtils.getUserClass(interceptor).getName() + " raised "
				+ hookError.getClass().getName() + ": " + hookError.getMessage() + ")", error);
		combined.addSuppressed(hookError);
		return combined;
	}

	/**
	 * One run of the around hooks and the handler.
	 */
	private final class Run {

		private final JobHandler handler;

		private final JobContext job;

		private final Object[] args;

		private boolean performed;

		Run(JobHandler handler, JobContext job, Object[] args) {
			this.handler = handler;
			this.job = job;
			this.args = args;
		}

		JobExecution around(int index) {
			if (index == JobInvoker.this.interceptors.size()) {
				return this::perform;
			}
			JobInterceptor interceptor = JobInvoker.this.interceptors.get(index);
			return () -> interceptor.aroundPerform(this.job, this.args, around(index + 1));
		}

		private void perform() throws Exception {
			try {
				this.handler.invoke(this.args);
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
			this.performed = true;
		}

	}

}
