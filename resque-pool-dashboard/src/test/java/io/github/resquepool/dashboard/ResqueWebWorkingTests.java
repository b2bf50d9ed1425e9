package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.CheckpointStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.WorkerStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The Working page against a real Redis: a running job's checkpoint (its cursor, when it
 * was saved, its progress) shows as text, a job without one shows none, and the Cancel
 * button of a pool's worker asks the fleet and reports its answer.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.read-only=false",
				"resque.web.username=ops", "resque.web.password=s3cret", "spring.application.name=working-test" })
class ResqueWebWorkingTests {

	static final String HOSTILE_MESSAGE = "<script>alert(1)</script>";

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	ResqueRedis redis;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc
			.perform(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
	}

	private Document working() throws Exception {
		MvcResult result = perform(get("/resque/working"));
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	/**
	 * Registers a worker of a beating pool, running a job when a class is given.
	 */
	static void worker(ResqueRedis redis, String pool, String workerId, String className, String args) {
		redis.workers().register(pool, "2026-01-02 03:04:05 +0000", List.of(workerId));
		DashboardTestApplication.redis((c) -> c.zadd(redis.keys().pools(), System.currentTimeMillis(), bytes(pool)));
		if (className != null) {
			String status = new WorkerStatus("mail", Instant.now().minusSeconds(5).toString(),
					JobPayload.render(className, args))
				.toJson();
			DashboardTestApplication.redis((c) -> c.set(redis.keys().worker(workerId), bytes(status)));
		}
	}

	/**
	 * Writes a job's checkpoint hash as the pool does.
	 */
	static void checkpoint(ResqueRedis redis, String className, String args, Map<String, String> fields) {
		String key = redis.keys()
			.key(CheckpointStore.key(className, JobPayload.parse(JobPayload.render(className, args)).args()));
		fields.forEach((field, value) -> DashboardTestApplication.redis((c) -> c.hset(key, field, bytes(value))));
	}

	private boolean cancelStored(String workerId) {
		Long count = DashboardTestApplication
			.redis((c) -> c.exists(this.redis.keys().key("resquepool:cancel:" + workerId)));
		return count == 1;
	}

	private List<String> cancelKeys() {
		return DashboardTestApplication.redis((c) -> c.keys(this.redis.keys().key("resquepool:cancel:*")));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static Element row(Document doc, String workerId) {
		return doc.select("#working tbody tr")
			.stream()
			.filter((tr) -> tr.select("td").first().text().equals(workerId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no row for " + workerId + " in " + doc.select("#working")));
	}

	@Test
	void aRunningJobsCursorAndProgressShowAsTextAndAJobWithoutACheckpointShowsNone() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", "Import", "[7]");
		worker(this.redis, "pool-w", "host:1-2:mail", "Plain", "[8]");
		long now = System.currentTimeMillis();
		String longText = "x".repeat(400);
		checkpoint(this.redis, "Import", "[7]",
				Map.of("cursor", "{ \"offset\" : 120, \"tag\" : \"</td><b>t</b>\", \"long\" : \"" + longText + "\" }",
						"at", Long.toString(now - 3000), "worker", "host:1-1:mail", "done", "120", "total", "480",
						"message", HOSTILE_MESSAGE, "progress_at", Long.toString(now - 1000)));
		Document doc = working();
		assertThat(doc.select("script")).allSatisfy((s) -> assertThat(s.attr("src")).isEqualTo("assets/dashboard.js"));
		assertThat(doc.select("b")).isEmpty();
		Element job = row(doc, "host:1-1:mail");
		String cursor = job.select(".cursor code").text();
		assertThat(cursor).startsWith("{\"offset\":120,\"tag\":\"</td><b>t</b>\",\"long\":\"xxx").endsWith("…");
		assertThat(cursor.length()).isLessThanOrEqualTo(201);
		assertThat(job.select(".cursor .saved").text()).matches("saved \\d+(\\.\\d)? s ago");
		assertThat(job.select("progress").attr("value")).isEqualTo("25");
		assertThat(job.select("progress").attr("max")).isEqualTo("100");
		assertThat(job.select(".progress .count").text()).isEqualTo("120/480 (25%)");
		assertThat(job.select(".progress .message").text()).isEqualTo(HOSTILE_MESSAGE);
		Element plain = row(doc, "host:1-2:mail");
		assertThat(plain.select(".cursor, .progress, progress")).isEmpty();
		assertThat(plain.select("td").get(3).text()).isEqualTo("Plain");
	}

	@Test
	void progressWithoutATotalShowsTheCountWithoutABar() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", "Scan", "[]");
		checkpoint(this.redis, "Scan", "[]", Map.of("worker", "host:1-1:mail", "done", "42", "total", "0",
				"progress_at", Long.toString(System.currentTimeMillis())));
		Element job = row(working(), "host:1-1:mail");
		assertThat(job.select("progress")).isEmpty();
		assertThat(job.select(".progress .count").text()).isEqualTo("42 done");
		assertThat(job.select(".cursor")).isEmpty();
	}

	@Test
	void aRunningJobOfAPoolsWorkerHasACancelButtonAndARubyWorkersHasNone() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", "Import", "[7]");
		worker(this.redis, "ruby", "ruby:9:mail", "Legacy", "[]");
		DashboardTestApplication.redis((c) -> c.srem(this.redis.keys().poolWorkers("ruby"), bytes("ruby:9:mail")));
		Document doc = working();
		assertThat(row(doc, "ruby:9:mail").select("form")).isEmpty();
		Element form = row(doc, "host:1-1:mail").selectFirst("form[method=post]");
		assertThat(form).isNotNull();
		assertThat(form.attr("action")).isEqualTo("working");
		assertThat(form.select("input[name=op]").val()).isEqualTo("cancel");
		assertThat(form.select("input[name=worker]").val()).isEqualTo("host:1-1:mail");
		assertThat(form.select("button").text()).isEqualTo("Cancel");
	}

	@Test
	void cancellingAnIdleWorkersJobReportsFailed() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", null, null);
		MvcResult result = perform(post("/resque/working").param("op", "cancel").param("worker", "host:1-1:mail"));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		String location = result.getResponse().getHeader("Location");
		assertThat(location).startsWith("working?notice=");
		MvcResult page = perform(get("/resque/" + location));
		Document doc = Jsoup.parse(page.getResponse().getContentAsString(StandardCharsets.UTF_8));
		assertThat(doc.select("p.notice").text()).contains("failed").contains("is idle");
		assertThat(cancelStored("host:1-1:mail")).isFalse();
	}

	@Test
	void cancellingARunningJobStoresTheRequestForItsPool() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", "Import", "[7]");
		MvcResult result = perform(post("/resque/working").param("op", "cancel").param("worker", "host:1-1:mail"));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		assertThat(cancelStored("host:1-1:mail")).isTrue();
		assertThat(new String(
				DashboardTestApplication.redis((c) -> c.get(this.redis.keys().key("resquepool:cancel:host:1-1:mail"))),
				StandardCharsets.UTF_8))
			.contains("\"by\":\"ops\"");
		Document doc = Jsoup.parse(perform(get("/resque/" + result.getResponse().getHeader("Location"))).getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		// No pool beats for real here, so the request waits for one.
		assertThat(doc.select("p.notice").text()).containsAnyOf("pending", "offline");
	}

	@Test
	void cancellingAnUnknownWorkerAnswers404AndABadOne400() throws Exception {
		MvcResult unknown = perform(post("/resque/working").param("op", "cancel").param("worker", "nobody:1-1:mail"));
		assertThat(unknown.getResponse().getStatus()).isEqualTo(404);
		assertThat(unknown.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("no such worker");
		MvcResult bad = perform(post("/resque/working").param("op", "cancel").param("worker", "bad\u0001id"));
		assertThat(bad.getResponse().getStatus()).isEqualTo(400);
		MvcResult blank = perform(post("/resque/working").param("op", "cancel").param("worker", " "));
		assertThat(blank.getResponse().getStatus()).isEqualTo(400);
		MvcResult missing = perform(post("/resque/working").param("op", "cancel"));
		assertThat(missing.getResponse().getStatus()).isEqualTo(400);
		MvcResult op = perform(post("/resque/working").param("op", "kill").param("worker", "host:1-1:mail"));
		assertThat(op.getResponse().getStatus()).isEqualTo(400);
		assertThat(cancelKeys()).isEmpty();
	}

	@Test
	void aCrossSiteCancelIsRefusedAndStoresNothing() throws Exception {
		worker(this.redis, "pool-w", "host:1-1:mail", "Import", "[7]");
		MvcResult result = perform(post("/resque/working").param("op", "cancel")
			.param("worker", "host:1-1:mail")
			.header("Sec-Fetch-Site", "cross-site"));
		assertThat(result.getResponse().getStatus()).isEqualTo(403);
		assertThat(cancelKeys()).isEmpty();
		assertThat(perform(post("/resque/working").param("op", "cancel")
			.param("worker", "host:1-1:mail")
			.header("Sec-Fetch-Site", "same-origin")).getResponse().getStatus()).isEqualTo(303);
		assertThat(cancelStored("host:1-1:mail")).isTrue();
	}

}
