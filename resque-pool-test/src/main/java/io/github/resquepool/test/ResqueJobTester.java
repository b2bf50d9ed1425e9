package io.github.resquepool.test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.context.ApplicationContext;
import org.springframework.util.Assert;

import io.github.resquepool.job.ActiveJobArguments;
import io.github.resquepool.job.ActiveJobPayload;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobInterceptor;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.RubyJson;

/**
 * Runs a job synchronously on the calling thread, without a pool or Redis, through the
 * real argument binding and the application's {@link JobInterceptor interceptors},
 * exactly as a worker runs it:
 *
 * <pre>{@code
 * ResqueJobTester tester = ResqueJobTester.of(applicationContext);
 * tester.performOrThrow("Billing::Charge", "acct_1", 1250);              // Java arguments
 * tester.performPayload("{\"class\":\"Billing::Charge\",\"args\":[\"acct_1\",-5]}"); // a payload
 * tester.performActiveJob("SendInvoiceJob", 42, "EUR");                 // as Rails' perform_later
 * }</pre>
 *
 * Java arguments are written to JSON with the application's mapper first, so they meet
 * the same strict binding as arguments from Ruby.
 */
public final class ResqueJobTester {

	/** The queue and worker id that jobs run by the tester report. */
	public static final String QUEUE = "test";

	private static final String WORKER = "test:0:test";

	private final JobInvoker invoker;

	private final JsonMapper mapper;

	/**
	 * Creates a tester.
	 * @param registry the handlers
	 * @param interceptors the interceptors, in any order
	 * @param mapper the mapper arguments are written with
	 */
	public ResqueJobTester(JobRegistry registry, List<JobInterceptor> interceptors, JsonMapper mapper) {
		Assert.notNull(mapper, "'mapper' must not be null");
		this.invoker = new JobInvoker(registry, interceptors, () -> mapper);
		this.mapper = mapper;
	}

	/**
	 * Creates a tester on an application context's {@link JobRegistry},
	 * {@link JobInterceptor} beans and {@link JsonMapper}.
	 * @param context the context
	 * @return the tester
	 */
	public static ResqueJobTester of(ApplicationContext context) {
		List<JobInterceptor> interceptors = context.getBeanProvider(JobInterceptor.class).orderedStream().toList();
		JsonMapper mapper = context.getBeanProvider(JsonMapper.class)
			.getIfAvailable(() -> JsonMapper.builder().build());
		return new ResqueJobTester(context.getBean(JobRegistry.class), interceptors, mapper);
	}

	/**
	 * Runs a job with Java arguments, as {@code ResqueClient.enqueue} would enqueue them.
	 * @param className the Resque class name
	 * @param args the arguments
	 * @return what became of the job
	 */
	public JobResult perform(String className, Object... args) {
		return performPayload(
				JobPayload.render(className, RubyJson.write(this.mapper.valueToTree(List.of(args(args))))));
	}

	/**
	 * Runs a job from a payload: a plain Resque one or an ActiveJob wrapper.
	 * @param payload the payload JSON
	 * @return what became of the job
	 */
	public JobResult performPayload(String payload) {
		return performPayload(QUEUE, payload);
	}

	/**
	 * Runs a job from a payload taken from a given queue.
	 * @param queue the queue the job reports
	 * @param payload the payload JSON
	 * @return what became of the job
	 */
	public JobResult performPayload(String queue, String payload) {
		JobPayload parsed = JobPayload.parse(payload);
		JobContext context = JobContext.of(parsed.className(), queue, WORKER, payload, parsed.args());
		return this.invoker.invoke(context, parsed.args());
	}

	/**
	 * Runs a Rails ActiveJob job as a worker receives it from {@code perform_later}; see
	 * {@link ActiveJobArguments} for how the arguments are written.
	 * @param jobClass the Rails job class
	 * @param args the arguments
	 * @return what became of the job
	 */
	public JobResult performActiveJob(String jobClass, Object... args) {
		ArrayNode arguments = ActiveJobArguments.serialize(this.mapper, args(args));
		String job = "{\"job_class\":" + RubyJson.quote(jobClass) + ",\"job_id\":\"" + java.util.UUID.randomUUID()
				+ "\",\"provider_job_id\":null,\"queue_name\":\"" + QUEUE + "\",\"priority\":null,\"arguments\":"
				+ RubyJson.write(arguments) + ",\"executions\":0,\"exception_executions\":{},\"locale\":\"en\","
				+ "\"timezone\":null,\"enqueued_at\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}";
		return performPayload(JobPayload.render(ActiveJobPayload.WRAPPER_CLASS, "[" + job + "]"));
	}

	/**
	 * Runs a job with Java arguments and throws what made it fail.
	 * @param className the Resque class name
	 * @param args the arguments
	 * @throws Throwable the job's failure, unwrapped
	 */
	public void performOrThrow(String className, Object... args) throws Throwable {
		JobResult result = perform(className, args);
		if (result.outcome() == JobResult.Outcome.FAILED) {
			throw result.error();
		}
	}

	private static Object[] args(Object[] args) {
		return (args != null) ? args : new Object[] { null };
	}

}
