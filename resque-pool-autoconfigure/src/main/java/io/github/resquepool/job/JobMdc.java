package io.github.resquepool.job;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.MDC;

import org.springframework.util.ClassUtils;

/**
 * The SLF4J MDC keys of a running job, for log patterns such as {@code %X{resque.class}
 * %X{resque.job_id}}: {@value #QUEUE}, {@value #CLASS}, {@value #WORKER} and, for
 * ActiveJob jobs, {@value #JOB_ID}. Values the thread held before are put back.
 */
final class JobMdc implements AutoCloseable {

	static final String QUEUE = "resque.queue";

	static final String CLASS = "resque.class";

	static final String WORKER = "resque.worker";

	static final String JOB_ID = "resque.job_id";

	static final boolean AVAILABLE = ClassUtils.isPresent("org.slf4j.MDC", JobMdc.class.getClassLoader());

	private final Map<String, String> previous = new LinkedHashMap<>();

	private JobMdc() {
	}

	static JobMdc put(JobContext context) {
		JobMdc mdc = new JobMdc();
		mdc.set(QUEUE, context.queue());
		mdc.set(CLASS, context.className());
		mdc.set(WORKER, context.workerId());
		mdc.set(JOB_ID, context.jobId());
		return mdc;
	}

	private void set(String key, String value) {
		this.previous.put(key, MDC.get(key));
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	@Override
	public void close() {
		this.previous.forEach((key, value) -> {
			if (value != null) {
				MDC.put(key, value);
			}
			else {
				MDC.remove(key);
			}
		});
	}

}
