package io.github.resquepool.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import io.github.resquepool.resque.JobPayload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the MDC that {@link JobInvoker} sets while a job runs.
 */
class JobMdcTests {

	private final List<Map<String, String>> seen = new ArrayList<>();

	@Test
	void theMdcNamesTheJobWhileItRunsAndIsRestoredAfterwards() {
		MDC.put("resque.queue", "outer");
		try {
			String payload = ActiveJobCaptures.performLater("no_arguments");
			invoke(payload);
			invoke("{\"class\":\"SendInvoiceJob\",\"args\":[]}");
			assertThat(this.seen.get(0)).containsEntry("resque.queue", "invoices")
				.containsEntry("resque.class", "SendInvoiceJob")
				.containsEntry("resque.worker", "host:1:invoices")
				.containsEntry("resque.job_id", "66e68b46-1fb6-4e67-ba16-447d05d7a445");
			assertThat(this.seen.get(1)).containsEntry("resque.class", "SendInvoiceJob")
				.doesNotContainKey("resque.job_id");
			assertThat(MDC.get("resque.queue")).isEqualTo("outer");
			assertThat(MDC.get("resque.class")).isNull();
			assertThat(MDC.get("resque.job_id")).isNull();
		}
		finally {
			MDC.clear();
		}
	}

	private void invoke(String payload) {
		JobRegistry registry = new JobRegistry();
		registry.register(new JobHandler("SendInvoiceJob", this,
				ReflectionUtils.findMethod(JobMdcTests.class, "record"), null, JsonMapper::shared));
		JobPayload parsed = JobPayload.parse(payload);
		JobContext context = JobContext.of(parsed.className(), "invoices", "host:1:invoices", payload, parsed.args());
		assertThat(new JobInvoker(registry, List.of(), JsonMapper::shared).invoke(context, parsed.args()).outcome())
			.isEqualTo(JobResult.Outcome.PERFORMED);
	}

	void record() {
		Map<String, String> copy = MDC.getCopyOfContextMap();
		this.seen.add((copy != null) ? copy : new HashMap<>());
	}

}
