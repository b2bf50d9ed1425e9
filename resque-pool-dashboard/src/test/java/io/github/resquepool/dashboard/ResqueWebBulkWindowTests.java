package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.ScriptOutputType;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
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
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The bulk preview and action over a long {@code failed} list: each reads one window of
 * {@code resque.web.failed-scan-limit} entries, whatever the list's length.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.read-only=false",
				"resque.web.username=ops", "resque.web.password=pw", "resque.web.failed-scan-limit=1000",
				"resque.web.bulk-limit=100" })
class ResqueWebBulkWindowTests {

	private static final int FAILURES = 200_000;

	private static final int WINDOW = 1000;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	@Autowired
	ResqueRedis redis;

	MockMvc mvc;

	int entryBytes;

	@BeforeEach
	void seed() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		byte[] entry = new FailureRecord("2026/01/02 03:04:05 UTC", JobPayload.render("Job", "[1]"), "RuntimeError",
				"boom", List.of("app/jobs/x.rb:1"), "host:1:mail", "mail", null)
			.toJson()
			.getBytes(StandardCharsets.UTF_8);
		this.entryBytes = entry.length;
		String push = "for i = 1, tonumber(ARGV[2]) do redis.call('RPUSH', KEYS[1], ARGV[1]) end return 1";
		DashboardTestApplication
			.redis((c) -> c.eval(push, ScriptOutputType.INTEGER, new String[] { this.redis.keys().failed() }, entry,
					Integer.toString(FAILURES).getBytes(StandardCharsets.UTF_8)));
		assertThat(this.redis.failures().count()).isEqualTo(FAILURES);
	}

	@Test
	void thePreviewReadsOneWindowAndLeadsToTheNext() throws Exception {
		Reads reads = new Reads();
		MvcResult result = perform(get("/resque/bulk").param("op", "retry").param("queue", "mail"));
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		reads.assertAtMostOneWindow();
		Document preview = Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
		assertThat(preview.select("#preview").text()).startsWith(WINDOW + " failures match")
			.contains("entries 0–" + (WINDOW - 1));
		assertThat(preview.select("#beyond").text()).contains("more entries lie beyond");
		assertThat(preview.select("#beyond a").attr("href")).isEqualTo("bulk?op=retry&queue=mail&from=" + WINDOW);
		assertThat(preview.select("code").eachText()).contains("retry 100");
		Document next = Jsoup
			.parse(perform(get("/resque/bulk?op=retry&queue=mail&from=" + (FAILURES - 10))).getResponse()
				.getContentAsString(StandardCharsets.UTF_8));
		assertThat(next.select("#preview").text()).startsWith("10 failures match");
		assertThat(next.select("#beyond")).isEmpty();
	}

	@Test
	void theActionReadsOneWindowAndActsOnAtMostTheLimit() throws Exception {
		Reads reads = new Reads();
		MvcResult result = perform(post("/resque/bulk").param("op", "remove")
			.param("queue", "mail")
			.param("expected", Integer.toString(WINDOW))
			.param("confirm", "remove 100"));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		reads.assertAtMostOneWindow();
		assertThat(this.redis.failures().count()).isEqualTo(FAILURES - 100);
		assertThat(result.getResponse().getHeader("Location")).startsWith("bulk?op=remove&queue=mail&notice=");
	}

	@Test
	void anActionThatLeavesNoMatchInItsWindowLeadsToTheNextWindow() throws Exception {
		Document failed = Jsoup.parse(perform(get("/resque/failed?exception=Nope&from=" + WINDOW)).getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		assertThat(failed.select(".bulk a").eachAttr("href")).containsExactly(
				"bulk?op=retry&exception=Nope&from=" + WINDOW, "bulk?op=remove&exception=Nope&from=" + WINDOW);
		MvcResult result = perform(post("/resque/bulk").param("op", "remove")
			.param("exception", "Nope")
			.param("from", Integer.toString(WINDOW))
			.param("expected", "0")
			.param("confirm", "remove 0"));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		assertThat(result.getResponse().getHeader("Location"))
			.startsWith("bulk?op=remove&exception=Nope&from=" + (2 * WINDOW) + "&notice=");
		assertThat(this.redis.failures().count()).isEqualTo(FAILURES);
	}

	@Test
	void theFailedPageReadsOneWindowFromAnyStart() throws Exception {
		Reads reads = new Reads();
		for (String from : new String[] { "9223372036854775807", "9223372036854774807", "-5" }) {
			MvcResult result = perform(get("/resque/failed").param("queue", "mail").param("from", from));
			assertThat(result.getResponse().getStatus()).as(from).isEqualTo(200);
		}
		reads.assertAtMostOneWindow();
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc
			.perform(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
	}

	/** What Redis sent meanwhile, from its own counters. */
	private final class Reads {

		private final long bytes = outputBytes();

		void assertAtMostOneWindow() {
			// A full scan sends the whole list: FAILURES entries; one window sends
			// WINDOW.
			assertThat(outputBytes() - this.bytes)
				.isLessThan(2L * (WINDOW + 1) * ResqueWebBulkWindowTests.this.entryBytes);
		}

		private long outputBytes() {
			String info = DashboardTestApplication.redis((c) -> c.info("stats"));
			Matcher matcher = Pattern.compile("total_net_output_bytes:(\\d+)").matcher(info);
			assertThat(matcher.find()).isTrue();
			return Long.parseLong(matcher.group(1));
		}

	}

}
