package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The dashboard as it is by default: read-only.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class, properties = { "resque.pool.enabled=false",
		"resque.web.enabled=true", "resque.web.username=viewer", "resque.web.password=pw" })
class ResqueWebReadOnlyTests {

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

	@Test
	void readOnlyPagesHaveNoButtonsAndEveryPostGets403() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		DashboardTestApplication.fail(this.redis, "mail", "A", "E", "[]");
		for (String path : ResqueWebPagesTests.PAGES) {
			MvcResult result = mvc.perform(get(path).header("Authorization", basic)).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(200);
			Document doc = Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
			assertThat(doc.select("form[method=post]")).as(path).isEmpty();
			assertThat(doc.select("button")).as(path).allSatisfy((b) -> assertThat(b.text()).isEqualTo("Filter"));
			assertThat(doc.select("header .badge").text()).isEqualTo("read-only");
		}
		MvcResult clear = mvc
			.perform(post("/resque/queue").param("op", "clear")
				.param("name", "mail")
				.param("confirm", "mail")
				.header("Authorization", basic))
			.andReturn();
		assertThat(clear.getResponse().getStatus()).isEqualTo(403);
		assertThat(clear.getResponse().getContentAsString()).contains("resque.web.read-only=false");
		assertThat(this.redis.queues().size("mail")).isEqualTo(1);
	}

	@Test
	void aQueueLimitIsRefusedInReadOnlyModeAndStoresNothing() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
		Map<String, String> before = DashboardTestApplication.snapshot(this.redis);
		Document page = Jsoup.parse(mvc.perform(get("/resque/limits").header("Authorization", basic))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		assertThat(page.select("#limits")).hasSize(1);
		assertThat(page.select("form, button, #set-limit")).isEmpty();
		for (String op : new String[] { "limit", "reset" }) {
			MvcResult result = mvc
				.perform(post("/resque/limits").param("op", op)
					.param("queue", "mail")
					.param("concurrency", "1")
					.header("Authorization", basic))
				.andReturn();
			assertThat(result.getResponse().getStatus()).as(op).isEqualTo(403);
			assertThat(result.getResponse().getContentAsString()).as(op).contains("resque.web.read-only=false");
		}
		assertThat(DashboardTestApplication.snapshot(this.redis)).isEqualTo(before);
	}

	@Test
	void theBulkPreviewIsRefusedInReadOnlyMode() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
		DashboardTestApplication.fail(this.redis, "mail", "A", "E", "[]");
		MvcResult preview = mvc.perform(get("/resque/bulk?op=retry&queue=mail").header("Authorization", basic))
			.andReturn();
		assertThat(preview.getResponse().getStatus()).isEqualTo(403);
		assertThat(preview.getResponse().getContentAsString()).contains("resque.web.read-only=false");
	}

	@Test
	void aCancelIsRefusedInReadOnlyModeAndChangesNothing() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
		ResqueWebWorkingTests.worker(this.redis, "pool-w", "host:1-1:mail", "Import", "[7]");
		Map<String, String> before = DashboardTestApplication.snapshot(this.redis);
		Document page = Jsoup.parse(mvc.perform(get("/resque/working").header("Authorization", basic))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		assertThat(page.select("#working tbody tr td").first().text()).isEqualTo("host:1-1:mail");
		assertThat(page.select("#working form, #working button")).isEmpty();
		MvcResult cancel = mvc
			.perform(post("/resque/working").param("op", "cancel")
				.param("worker", "host:1-1:mail")
				.header("Authorization", basic))
			.andReturn();
		assertThat(cancel.getResponse().getStatus()).isEqualTo(403);
		assertThat(cancel.getResponse().getContentAsString()).contains("resque.web.read-only=false");
		assertThat(DashboardTestApplication.snapshot(this.redis)).isEqualTo(before);
	}

}
