package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The Limits page with a live pool: a per-key class limit held by a running job with two
 * jobs blocked behind it, a queue limit set with the form (who set it and when), its
 * reset to the configuration, bad input answered with 400 that stores nothing, and
 * hostile class, key and queue names kept as text.
 */
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.web.enabled=true", "resque.web.read-only=false", "resque.web.username=ops",
				"resque.web.password=s3cret", "resque.pool.groups.limited.queues=limited",
				"resque.pool.groups.limited.count=3", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.queue-limits.configured=4, 100/1m",
				"resque.scheduler.enabled=false", "spring.application.name=limits-test" })
@Import(ResqueWebLimitsTests.Jobs.class)
@DirtiesContext
@RecordApplicationEvents
class ResqueWebLimitsTests {

	/** A job class whose name would be script if it were not escaped. */
	static final String HELD_CLASS = "Limits::<script>window.__xss=1</script>Held";

	/** A key value that would be markup if it were not escaped. */
	static final String HOSTILE_KEY = "<img src=x onerror=alert(1)>";

	private static final Duration WAIT = Duration.ofSeconds(20);

	static final CountDownLatch release = new CountDownLatch(1);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().flushAll();
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	@Autowired
	ResqueFleet fleet;

	@Autowired
	ResqueRedis redis;

	@Autowired
	ApplicationEvents events;

	MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
	}

	@AfterAll
	static void releaseTheHeldJob() {
		release.countDown();
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc
			.perform(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
	}

	private Document page(String path) throws Exception {
		MvcResult result = perform(get(path));
		assertThat(result.getResponse().getStatus()).as(path).isEqualTo(200);
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	private static String problem(MvcResult result) throws Exception {
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8)).select(".problem").text();
	}

	@Test
	void aHeldClassLimitShowsItsHolderAndTheJobsBlockedBehindIt() throws Exception {
		String payload = "{\"class\":\"" + HELD_CLASS + "\",\"args\":[\"" + HOSTILE_KEY + "\"]}";
		for (int i = 0; i < 3; i++) {
			this.redis.jobs().enqueue("limited", payload);
		}
		// One runs and holds the key's only slot; the two other workers took the others,
		// which wait off the queue.
		await().atMost(WAIT).untilAsserted(() -> assertThat(classLimit()).satisfies((limit) -> {
			assertThat(limit.held()).isEqualTo(1);
			assertThat(limit.blocked()).isEqualTo(2);
		}));
		String holder = classLimit().holders().get(0);
		Document limits = page("/resque/limits");
		assertThat(limits.select("nav a.active").text()).isEqualTo("Limits");
		Element row = limits.select("#limits tbody tr.class").first();
		assertThat(row.select("td.limit .name").text()).isEqualTo(HELD_CLASS);
		assertThat(row.select("td.key").text()).isEqualTo(HOSTILE_KEY);
		assertThat(row.select("td.concurrency").text()).isEqualTo("1");
		assertThat(row.select("td.held .count").text()).isEqualTo("1");
		assertThat(row.select("td.held a").text()).isEqualTo(holder);
		assertThat(row.select("td.held a").attr("href")).startsWith("working#worker-");
		assertThat(row.select("td.blocked").text()).isEqualTo("2");
		assertThat(row.select("td.source").text()).isEqualTo("annotation");
		assertThat(row.select("form")).isEmpty();
		// The configured queue limit is listed with its rate, and has nothing to reset.
		Element configured = limits.select("#limits tbody tr[data-queue=configured]").first();
		assertThat(configured.select("td.concurrency").text()).isEqualTo("4");
		assertThat(configured.select("td.rate").text()).isEqualTo("100 / 1m");
		assertThat(configured.select("td.source").text()).isEqualTo("configuration");
		assertThat(configured.select("form")).isEmpty();
		assertThat(limits.select("script"))
			.allSatisfy((s) -> assertThat(s.attr("src")).isEqualTo("assets/dashboard.js"));
		assertThat(limits.select("main img")).isEmpty();
		// The holder's link leads to its row on the Working page.
		Document working = page("/resque/working");
		assertThat(working.getElementById("worker-" + holder)).isNotNull();
	}

	@Test
	void aQueueLimitSetWithTheFormIsListedWithWhoSetItAndResetReturnsToTheConfiguration() throws Exception {
		Document limits = page("/resque/limits");
		Element form = limits.selectFirst("form#set-limit");
		assertThat(form.attr("method")).isEqualTo("post");
		assertThat(form.select("input[name=op]").val()).isEqualTo("limit");
		assertThat(form.select("input[name=queue], input[name=concurrency], input[name=rate], input[name=per]"))
			.hasSize(4);
		MvcResult set = perform(post("/resque/limits").param("op", "limit")
			.param("queue", "exports")
			.param("concurrency", "2")
			.param("rate", "30")
			.param("per", "1m"));
		assertThat(set.getResponse().getStatus()).isEqualTo(303);
		String location = set.getResponse().getHeader("Location");
		assertThat(location).startsWith("limits?notice=");
		Document after = page("/resque/" + location);
		assertThat(after.select(".notice").text()).contains("exports").contains("2, 30/1m");
		Element row = after.selectFirst("#limits tbody tr[data-queue=exports]");
		assertThat(row.select("td.limit a.name").attr("href")).isEqualTo("queue?name=exports");
		assertThat(row.select("td.concurrency").text()).isEqualTo("2");
		assertThat(row.select("td.rate").text()).isEqualTo("30 / 1m");
		assertThat(row.select("td.source").text()).isEqualTo("override");
		assertThat(row.select("td.set-by").text()).contains("ops");
		assertThat(row.select("td.set-by time").attr("datetime")).isNotEmpty();
		assertThat(this.fleet.limits()).anySatisfy((limit) -> {
			assertThat(limit.queue()).isEqualTo("exports");
			assertThat(limit.concurrency()).isEqualTo(2);
			assertThat(limit.rate()).isEqualTo(30);
			assertThat(limit.per()).isEqualTo(Duration.ofMinutes(1));
			assertThat(limit.setBy()).contains("\"by\":\"ops\"");
		});
		assertThat(this.events.stream(ResqueWebActionEvent.class))
			.anySatisfy((e) -> assertThat(e.getAction()).isEqualTo("queue.limit"))
			.allSatisfy((e) -> assertThat(e.getPrincipal()).isEqualTo("ops"));

		// Overriding a configured limit, then resetting it, brings the configuration
		// back.
		assertThat(perform(
				post("/resque/limits").param("op", "limit").param("queue", "configured").param("concurrency", "0"))
			.getResponse()
			.getStatus()).isEqualTo(303);
		Element overridden = page("/resque/limits").selectFirst("#limits tbody tr[data-queue=configured]");
		assertThat(overridden.select("td.concurrency").text()).isEqualTo("0");
		assertThat(overridden.select("td.rate").text()).isEqualTo("—");
		Element reset = overridden.select("form")
			.stream()
			.filter((f) -> f.select("button").text().equals("Reset to configuration"))
			.findFirst()
			.orElseThrow();
		assertThat(reset.select("input[name=op]").val()).isEqualTo("reset");
		assertThat(reset.select("input[name=queue]").val()).isEqualTo("configured");
		assertThat(perform(post("/resque/limits").param("op", "reset").param("queue", "configured")).getResponse()
			.getStatus()).isEqualTo(303);
		Element back = page("/resque/limits").selectFirst("#limits tbody tr[data-queue=configured]");
		assertThat(back.select("td.concurrency").text()).isEqualTo("4");
		assertThat(back.select("td.source").text()).isEqualTo("configuration");
		assertThat(perform(post("/resque/limits").param("op", "reset").param("queue", "exports")).getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(page("/resque/limits").select("#limits tbody tr[data-queue=exports]")).isEmpty();
	}

	@Test
	void aQueueLimitOfZeroCountsTheQueuedJobsAsBlockedAndAHostileQueueNameStaysText() throws Exception {
		String queue = DashboardTestApplication.HOSTILE_QUEUE;
		for (int i = 0; i < 3; i++) {
			this.redis.jobs().enqueue(queue, "{\"class\":\"Nobody\",\"args\":[" + i + "]}");
		}
		assertThat(perform(post("/resque/limits").param("op", "limit").param("queue", queue).param("concurrency", "0"))
			.getResponse()
			.getStatus()).isEqualTo(303);
		Document limits = page("/resque/limits");
		Element row = limits.select("#limits tbody tr.queue")
			.stream()
			.filter((r) -> r.attr("data-queue").equals(queue))
			.findFirst()
			.orElseThrow();
		assertThat(row.select("td.limit .name").text()).isEqualTo(queue);
		assertThat(row.select("td.blocked").text()).isEqualTo("3");
		assertThat(limits.select("script"))
			.allSatisfy((s) -> assertThat(s.attr("src")).isEqualTo("assets/dashboard.js"));
		assertThat(limits.getAllElements())
			.allSatisfy((e) -> assertThat(e.attributes().asList()).noneMatch((a) -> a.getKey().startsWith("on")));
		assertThat(perform(post("/resque/limits").param("op", "reset").param("queue", queue)).getResponse().getStatus())
			.isEqualTo(303);
		assertThat(this.redis.queues().size(queue)).isEqualTo(3);
	}

	@Test
	void badInputAnswers400WithAReasonAndStoresNothing() throws Exception {
		Map<String, String> before = overrides();
		List<String[]> bad = List.of(new String[] { "exports", "abc", "", "", "concurrency" },
				new String[] { "exports", "-1", "", "", "concurrency" },
				new String[] { "exports", "1.5", "", "", "concurrency" },
				new String[] { "exports", "99999999999", "", "", "concurrency" },
				new String[] { "exports", "1000001", "", "", "concurrency" },
				new String[] { "exports", "", "", "", "concurrency" },
				new String[] { "exports", "2", "x", "1m", "rate" }, new String[] { "exports", "2", "-5", "1m", "rate" },
				new String[] { "exports", "2", "10", "soon", "per" },
				new String[] { "exports", "2", "10", "30d", "per" }, new String[] { "exports", "2", "", "1m", "per" },
				new String[] { "a:b", "2", "", "", "a:b" }, new String[] { "two words", "2", "", "", "two words" },
				new String[] { "", "2", "", "", "queue" });
		for (String[] input : bad) {
			MvcResult result = perform(post("/resque/limits").param("op", "limit")
				.param("queue", input[0])
				.param("concurrency", input[1])
				.param("rate", input[2])
				.param("per", input[3]));
			String what = String.join("|", input);
			assertThat(result.getResponse().getStatus()).as(what).isEqualTo(400);
			assertThat(problem(result)).as(what).contains(input[4]).contains("Nothing was stored");
		}
		for (String queue : new String[] { "a:b", "two words", "" }) {
			MvcResult result = perform(post("/resque/limits").param("op", "reset").param("queue", queue));
			assertThat(result.getResponse().getStatus()).as(queue).isEqualTo(400);
		}
		assertThat(
				perform(post("/resque/limits").param("op", "drop").param("queue", "exports")).getResponse().getStatus())
			.isEqualTo(400);
		assertThat(perform(post("/resque/limits").param("op", "limit")).getResponse().getStatus()).isEqualTo(400);
		assertThat(overrides()).isEqualTo(before).doesNotContainKeys("exports", "a:b", "two words", "");
		assertThat(this.fleet.limits()).noneMatch((limit) -> "exports".equals(limit.queue()));
	}

	private Map<String, String> overrides() {
		Map<String, byte[]> stored = DashboardTestApplication.redis((c) -> c.hgetall("resque:resquepool:queue-limits"));
		Map<String, String> overrides = new java.util.TreeMap<>();
		stored.forEach((queue, value) -> overrides.put(queue, new String(value, StandardCharsets.UTF_8)));
		return overrides;
	}

	private FleetView.Limit classLimit() {
		return this.fleet.limits()
			.stream()
			.filter((limit) -> HELD_CLASS.equals(limit.className()))
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		@Bean
		HeldJob heldJob() {
			return new HeldJob();
		}

	}

	/** Holds its key's only slot until the test class ends. */
	static class HeldJob {

		@ResqueJob(HELD_CLASS)
		@ResqueLimit(concurrency = 1, key = "#p0")
		public void run(String key) throws InterruptedException {
			release.await(60, TimeUnit.SECONDS);
		}

	}

}
