package io.github.resquepool.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.JobHandler;
import io.github.resquepool.job.JobInvoker;
import io.github.resquepool.job.JobRegistry;
import io.github.resquepool.job.JobResult;
import io.github.resquepool.resque.JobPayload;

/**
 * The JVM side of one job without Redis: parsing the payload, and parsing plus
 * dispatching it to a no-op {@code @ResqueJob} handler through the {@link JobInvoker}
 * (argument binding, interceptors).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PayloadBenchmarks {

	private static final String PAYLOAD = "{\"class\":\"Bench::Noop\",\"args\":[]}";

	private static final String PAYLOAD_WITH_ARGS = "{\"class\":\"Bench::Args\",\"args\":[42,\"en\",{\"a\":1}]}";

	private JobInvoker invoker;

	/** Registers the two handlers. */
	@Setup
	public void setUp() throws NoSuchMethodException {
		JsonMapper mapper = JsonMapper.builder().build();
		JobRegistry registry = new JobRegistry();
		Handlers bean = new Handlers();
		registry.register(new JobHandler("Bench::Noop", bean, Handlers.class.getMethod("noop"), null, () -> mapper));
		registry.register(new JobHandler("Bench::Args", bean,
				Handlers.class.getMethod("args", long.class, String.class, java.util.Map.class), null, () -> mapper));
		this.invoker = new JobInvoker(registry, List.of(), () -> mapper);
	}

	/**
	 * @return the parsed no-op payload
	 */
	@Benchmark
	public JobPayload parseNoop() {
		return JobPayload.parse(PAYLOAD);
	}

	/**
	 * @return the result of a no-op job
	 */
	@Benchmark
	public JobResult parseAndInvokeNoop() {
		JobPayload payload = JobPayload.parse(PAYLOAD);
		return this.invoker.invoke(new JobContext(payload.className(), "bench", "w", PAYLOAD), payload.args());
	}

	/**
	 * @return the result of a job with three arguments (long, String, Map)
	 */
	@Benchmark
	public JobResult parseAndInvokeWithArgs() {
		JobPayload payload = JobPayload.parse(PAYLOAD_WITH_ARGS);
		return this.invoker.invoke(new JobContext(payload.className(), "bench", "w", PAYLOAD_WITH_ARGS),
				payload.args());
	}

	/** The handlers. */
	public static class Handlers {

		/** No-op. */
		public void noop() {
		}

		/**
		 * Takes three arguments.
		 * @param id a number
		 * @param locale a string
		 * @param options an object
		 */
		public void args(long id, String locale, java.util.Map<String, Object> options) {
		}

	}

}
