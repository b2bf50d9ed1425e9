package io.github.resquepool.dashboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
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
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Bad input and odd data: a clear error, 400 rather than 500, and nothing lost.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.read-only=false",
				"resque.web.username=ops", "resque.web.password=pw", "resque.pool.groups.default.queues=*" })
class ResqueWebBadInputTests {

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

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
	}

	@Test
	void clearDeletesOnlyARealQueueAndWithUnlink() throws Exception {
		byte[] value = "not a queue".getBytes(StandardCharsets.UTF_8);
		DashboardTestApplication.redis((c) -> c.set(this.redis.keys().queue("settings"), value));
		MvcResult notAQueue = perform(
				post("/resque/queue").param("op", "clear").param("name", "settings").param("confirm", "settings"));
		assertThat(notAQueue.getResponse().getStatus()).isBetween(400, 404);
		assertThat(problem(notAQueue)).contains("settings").contains("nothing was deleted");
		byte[] kept = DashboardTestApplication.redis((c) -> c.get(this.redis.keys().queue("settings")));
		assertThat(kept).isEqualTo(value);
		assertThat(perform(get("/resque/queue").param("name", "settings")).getResponse().getStatus()).isEqualTo(200);
		MvcResult missing = perform(
				post("/resque/queue").param("op", "clear").param("name", "ghost").param("confirm", "ghost"));
		assertThat(missing.getResponse().getStatus()).isEqualTo(404);

		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		long unlinks = commandCalls("unlink");
		long dels = commandCalls("del");
		MvcResult cleared = perform(
				post("/resque/queue").param("op", "clear").param("name", "mail").param("confirm", "mail"));
		assertThat(cleared.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isZero();
		assertThat(this.redis.queues().names()).doesNotContain("mail");
		assertThat(commandCalls("unlink")).isEqualTo(unlinks + 1);
		assertThat(commandCalls("del")).isEqualTo(dels);
	}

	@Test
	void aQueueNameWithAColonAnswers400NotA500() throws Exception {
		this.redis.jobs().enqueue("a:b", "{\"class\":\"A\",\"args\":[]}");
		for (String op : new String[] { "pause", "resume" }) {
			MvcResult result = perform(post("/resque/queue").param("op", op).param("name", "a:b"));
			assertThat(result.getResponse().getStatus()).as(op).isEqualTo(400);
			assertThat(problem(result)).as(op).contains("a:b");
		}
		assertThat(perform(get("/resque/queue").param("name", "a:b")).getResponse().getStatus()).isEqualTo(200);
		assertThat(this.redis.queues().size("a:b")).isEqualTo(1);
	}

	@Test
	void aFailureEntryThatIsNotUtf8CanBeRemoved() throws Exception {
		DashboardTestApplication.fail(this.redis, "mail", "Job", "RuntimeError", "[1]");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		String text = this.redis.failures().range(0, 0).get(0);
		int cut = text.indexOf("boom");
		bytes.writeBytes(text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
		bytes.write(0xff);
		bytes.write(0xfe);
		bytes.writeBytes(text.substring(cut).getBytes(StandardCharsets.UTF_8));
		byte[] invalid = bytes.toByteArray();
		DashboardTestApplication.redis((c) -> c.lset(this.redis.keys().failed(), 0, invalid));
		DashboardTestApplication.fail(this.redis, "mail", "Other", "RuntimeError", "[2]");

		String digest = Jsoup
			.parse(perform(get("/resque/failed")).getResponse().getContentAsString(StandardCharsets.UTF_8))
			.selectFirst("tr[data-index=0] input[name=digest]")
			.val();
		MvcResult retry = perform(
				post("/resque/failed").param("op", "retry").param("index", "0").param("digest", digest));
		assertThat(retry.getResponse().getStatus()).isEqualTo(400);
		assertThat(problem(retry)).contains("UTF-8");
		byte[] entry = DashboardTestApplication.redis((c) -> c.lindex(this.redis.keys().failed(), 0));
		assertThat(entry).isEqualTo(invalid);
		assertThat(this.redis.queues().size("mail")).isZero();
		MvcResult remove = perform(
				post("/resque/failed").param("op", "remove").param("index", "0").param("digest", digest));
		assertThat(remove.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.failures().range(0, -1)).singleElement().asString().contains("Other");
	}

	@Test
	void pageNumbersAndIndexesOutOfRangeAnswer400Or200NeverA500() throws Exception {
		for (int i = 0; i < 3; i++) {
			DashboardTestApplication.fail(this.redis, "mail", "Job", "RuntimeError", "[" + i + "]");
			this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[" + i + "]}");
		}
		for (String page : new String[] { "2147483647", "-2147483648", "1073741824" }) {
			for (String path : List.of("/resque/failed", "/resque/failed?queue=mail", "/resque/queue?name=mail",
					"/resque/delayed")) {
				MvcResult result = perform(get(path + (path.contains("?") ? "&" : "?") + "page=" + page));
				assertThat(result.getResponse().getStatus()).as(path + " page " + page).isEqualTo(200);
			}
		}
		for (String page : new String[] { "99999999999", "abc", "1.5" }) {
			MvcResult result = perform(get("/resque/failed?page=" + page));
			assertThat(result.getResponse().getStatus()).as(page).isEqualTo(400);
			assertThat(problem(result)).as(page).contains("page").contains(page);
		}
		for (String index : new String[] { "-1", "99999999999999999999", "x" }) {
			MvcResult result = perform(
					post("/resque/failed").param("op", "remove").param("index", index).param("digest", "0".repeat(64)));
			assertThat(result.getResponse().getStatus()).as(index).isEqualTo(400);
			assertThat(problem(result)).as(index).contains("index");
		}
		assertThat(this.redis.failures().count()).isEqualTo(3);
	}

	@Test
	void aScaleWithACountThatIsNoWorkerCountAnswers400WithAReason() throws Exception {
		for (String count : new String[] { "-1", "abc", "99999999999", "", "2147483648", "1e3" }) {
			MvcResult result = perform(
					post("/resque/pools").param("op", "scale").param("group", "default").param("count", count));
			assertThat(result.getResponse().getStatus()).as(count).isEqualTo(400);
			assertThat(problem(result)).as(count).contains("count");
		}
		MvcResult missing = perform(post("/resque/pools").param("op", "scale").param("group", "default"));
		assertThat(missing.getResponse().getStatus()).isEqualTo(400);
		assertThat(perform(post("/resque/pools").param("op", "scale").param("group", "default").param("count", "3"))
			.getResponse()
			.getStatus()).isEqualTo(303);
	}

	private long commandCalls(String command) {
		String info = DashboardTestApplication.redis((c) -> c.info("commandstats"));
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static String problem(MvcResult result) throws Exception {
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8)).select(".problem").text();
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc
			.perform(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
	}

}
