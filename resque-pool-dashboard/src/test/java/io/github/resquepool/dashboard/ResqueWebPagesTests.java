package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every page and action of the dashboard through MockMvc against a real Redis, parsed
 * with jsoup.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.read-only=false",
				"resque.web.username=ops", "resque.web.password=s3cret", "resque.pool.groups.default.queues=*",
				"resque.web.bulk-limit=4", "spring.application.name=dash-test" })
@RecordApplicationEvents
class ResqueWebPagesTests {

	static final List<String> PAGES = List.of("/resque/", "/resque/queues", "/resque/limits", "/resque/working",
			"/resque/workers", "/resque/pools", "/resque/failed", "/resque/delayed", "/resque/schedule",
			"/resque/stats");

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

	@Autowired
	ApplicationEvents events;

	MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
	}

	private static MockHttpServletRequestBuilder auth(MockHttpServletRequestBuilder request) {
		return request.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)));
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(auth(request)).andReturn();
	}

	private Document page(String path) throws Exception {
		MvcResult result = perform(get(path));
		assertThat(result.getResponse().getStatus()).as(path).isEqualTo(200);
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	private void seedHostile() {
		this.redis.jobs()
			.enqueue(DashboardTestApplication.HOSTILE_QUEUE, "{\"class\":\""
					+ DashboardTestApplication.HOSTILE_CLASS.replace("\"", "\\\"") + "\",\"args\":[\"<b>x</b>\"]}");
		this.redis.jobs().enqueue("mail", "{\"class\":\"Mailer\",\"args\":[1],\"enqueued_at\":1700000000.5}");
		DashboardTestApplication.fail(this.redis, DashboardTestApplication.HOSTILE_QUEUE,
				DashboardTestApplication.HOSTILE_CLASS, DashboardTestApplication.HOSTILE_EXCEPTION, "[1]");
		DashboardTestApplication.delay(this.redis, Instant.now().plusSeconds(3600).getEpochSecond(), "mail",
				DashboardTestApplication.HOSTILE_CLASS, "[\"</td><script>x</script>\"]");
		this.redis.workers()
			.register("pool-x", "2026-01-02 03:04:05 +0000",
					List.of("host:9:" + DashboardTestApplication.HOSTILE_QUEUE));
		this.redis.schedules()
			.persist("<i>nightly</i>",
					"{\"cron\":\"0 3 * * *\",\"class\":\"" + "Nightly<svg>" + "\",\"queue\":\"mail\",\"args\":[]}");
	}

	@Test
	void everyPageRendersWithTitleNavigationAndSecurityHeaders() throws Exception {
		seedHostile();
		for (String path : PAGES) {
			MvcResult result = perform(get(path));
			assertThat(result.getResponse().getStatus()).as(path).isEqualTo(200);
			assertThat(result.getResponse().getHeader("Content-Security-Policy")).contains("script-src 'self'")
				.contains("frame-ancestors 'none'")
				.doesNotContain("unsafe-inline");
			assertThat(result.getResponse().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
			Document doc = Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
			assertThat(doc.title()).as(path).contains("dash-test").contains("redis://");
			assertThat(doc.select("nav a")).hasSizeGreaterThanOrEqualTo(9);
			assertThat(doc.select("meta[name=viewport]")).hasSize(1);
		}
	}

	@Test
	void hostileNamesRenderAsTextOnEveryPage() throws Exception {
		seedHostile();
		List<String> pages = new java.util.ArrayList<>(PAGES);
		pages.add("/resque/queue?name="
				+ java.net.URLEncoder.encode(DashboardTestApplication.HOSTILE_QUEUE, StandardCharsets.UTF_8));
		pages.add("/resque/failed?class="
				+ java.net.URLEncoder.encode(DashboardTestApplication.HOSTILE_CLASS, StandardCharsets.UTF_8));
		pages.add("/resque/bulk?op=retry&exception="
				+ java.net.URLEncoder.encode(DashboardTestApplication.HOSTILE_EXCEPTION, StandardCharsets.UTF_8));
		for (String path : pages) {
			Document doc = page(path);
			assertThat(doc.select("script")).as(path)
				.allSatisfy((s) -> assertThat(s.attr("src")).isEqualTo("assets/dashboard.js"));
			assertThat(doc.select("img, svg[onload], iframe, b, i")).as(path).isEmpty();
			assertThat(doc.getAllElements()).as(path)
				.allSatisfy((e) -> assertThat(e.attributes().asList()).noneMatch((a) -> a.getKey().startsWith("on")));
		}
		assertThat(page("/resque/queues").text()).contains(DashboardTestApplication.HOSTILE_QUEUE);
		Document failed = page("/resque/failed");
		assertThat(failed.select("td.class").text()).isEqualTo(DashboardTestApplication.HOSTILE_CLASS);
		assertThat(failed.select("td.exception").text()).isEqualTo(DashboardTestApplication.HOSTILE_EXCEPTION);
		assertThat(page("/resque/delayed").text()).contains("</td><script>x</script>");
		assertThat(page("/resque/schedule").text()).contains("<i>nightly</i>").contains("Nightly<svg>");
	}

	@Test
	void noPageChangesAnything() throws Exception {
		seedHostile();
		Map<String, String> before = DashboardTestApplication.snapshot(this.redis);
		for (String path : PAGES) {
			page(path);
		}
		page("/resque/queue?name=mail");
		page("/resque/bulk?op=remove&queue=mail");
		page("/resque/failed?q=boom&page=3");
		perform(get("/resque/overview.json"));
		// A GET to an action's address is not an action.
		assertThat(perform(get("/resque/queue?op=clear&name=mail")).getResponse().getStatus()).isNotEqualTo(303);
		assertThat(DashboardTestApplication.snapshot(this.redis)).isEqualTo(before);
	}

	@Test
	void theRootRedirectsToTheOverviewWithARelativeLocation() throws Exception {
		MvcResult result = perform(get("/resque"));
		assertThat(result.getResponse().getStatus()).isEqualTo(302);
		assertThat(result.getResponse().getHeader("Location")).isEqualTo("resque/");
	}

	@Test
	void withoutCredentialsEveryRequestGets401() throws Exception {
		MvcResult page = this.mvc.perform(get("/resque/queues")).andReturn();
		assertThat(page.getResponse().getStatus()).isEqualTo(401);
		assertThat(page.getResponse().getHeader("WWW-Authenticate")).startsWith("Basic");
		MvcResult wrong = this.mvc
			.perform(get("/resque/").header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
		assertThat(wrong.getResponse().getStatus()).isEqualTo(401);
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		MvcResult action = this.mvc
			.perform(post("/resque/queue").param("op", "clear").param("name", "mail").param("confirm", "mail"))
			.andReturn();
		assertThat(action.getResponse().getStatus()).isEqualTo(401);
		assertThat(this.redis.queues().size("mail")).isEqualTo(1);
	}

	@Test
	void aCrossSitePostIsRefused() throws Exception {
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		MockHttpServletRequestBuilder fetchSite = post("/resque/queue").param("op", "clear")
			.param("name", "mail")
			.param("confirm", "mail")
			.header("Sec-Fetch-Site", "cross-site");
		assertThat(perform(fetchSite).getResponse().getStatus()).isEqualTo(403);
		MockHttpServletRequestBuilder origin = post("/resque/queue").param("op", "clear")
			.param("name", "mail")
			.param("confirm", "mail")
			.header("Origin", "https://evil.example");
		assertThat(perform(origin).getResponse().getStatus()).isEqualTo(403);
		assertThat(this.redis.queues().size("mail")).isEqualTo(1);
		MockHttpServletRequestBuilder sameOrigin = post("/resque/queue").param("op", "clear")
			.param("name", "mail")
			.param("confirm", "mail")
			.header("Origin", "http://localhost")
			.header("Sec-Fetch-Site", "same-origin");
		assertThat(perform(sameOrigin).getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isZero();
	}

	@Test
	void retryActsOnlyOnTheEntryShown() throws Exception {
		for (int i = 0; i < 3; i++) {
			DashboardTestApplication.fail(this.redis, "mail", "Job" + i, "RuntimeError", "[" + i + "]");
		}
		Document doc = page("/resque/failed");
		Element second = doc.selectFirst("tr[data-index=1]");
		Element retry = second.select("form")
			.stream()
			.filter((f) -> f.text().equals("Retry"))
			.findFirst()
			.orElseThrow();
		String digest = retry.selectFirst("input[name=digest]").val();
		// Someone removes the first entry meanwhile: index 1 now holds Job2.
		this.redis.failures().remove(0);
		MvcResult stale = perform(
				post("/resque/failed").param("op", "retry").param("index", "1").param("digest", digest));
		assertThat(stale.getResponse().getStatus()).isEqualTo(409);
		assertThat(this.redis.queues().size("mail")).isZero();
		// At its new index the same entry is retried.
		MvcResult ok = perform(post("/resque/failed").param("op", "retry").param("index", "0").param("digest", digest));
		assertThat(ok.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().peek("mail", 0, -1)).containsExactly("{\"class\":\"Job1\",\"args\":[1]}");
		assertThat(FailureRecord.parse(this.redis.failures().range(0, 0).get(0)).orElseThrow().retriedAt()).isNotNull();
		assertThat(this.events.stream(ResqueWebActionEvent.class))
			.anySatisfy((e) -> assertThat(e.getAction()).isEqualTo("failed.retry"))
			.allSatisfy((e) -> assertThat(e.getPrincipal()).isEqualTo("ops"));
		String location = ok.getResponse().getHeader("Location");
		assertThat(location).startsWith("failed?");
		assertThat(page("/resque/" + location).select(".notice").text()).contains("retried");
	}

	@Test
	void removeTakesOutTheEntryShownAndNoOther() throws Exception {
		for (int i = 0; i < 3; i++) {
			DashboardTestApplication.fail(this.redis, "mail", "Job" + i, "RuntimeError", "[" + i + "]");
		}
		String digest = page("/resque/failed").selectFirst("tr[data-index=2] input[name=digest]").val();
		assertThat(perform(post("/resque/failed").param("op", "remove").param("index", "1").param("digest", digest))
			.getResponse()
			.getStatus()).isEqualTo(409);
		assertThat(perform(post("/resque/failed").param("op", "remove").param("index", "2").param("digest", digest))
			.getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(this.redis.failures().count()).isEqualTo(2);
		assertThat(this.redis.failures().range(0, -1)).noneMatch((e) -> e.contains("Job2"));
	}

	@Test
	void failedPagesAndFiltersWithABoundedScan() throws Exception {
		for (int i = 0; i < 45; i++) {
			DashboardTestApplication.fail(this.redis, (i % 3 == 0) ? "mail" : "default", "Job" + (i % 5),
					(i % 2 == 0) ? "RuntimeError" : "Timeout", "[" + i + "]");
		}
		assertThat(page("/resque/failed").select("#failures tbody tr")).hasSize(20);
		assertThat(page("/resque/failed?page=2").select("#failures tbody tr")).hasSize(5);
		Document mail = page("/resque/failed?queue=mail");
		assertThat(mail.select("#summary").text()).contains("15 matches").contains("scanned 45 of 45");
		Document combined = page("/resque/failed?queue=mail&exception=RuntimeError&class=Job0");
		assertThat(combined.select("#failures tbody tr")).allSatisfy((tr) -> {
			assertThat(tr.select("td.class").text()).isEqualTo("Job0");
			assertThat(tr.select("td.exception").text()).isEqualTo("RuntimeError");
		});
		Document text = Jsoup.parse(perform(get("/resque/failed").param("q", "[44]")).getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		assertThat(text.select("#summary").text()).startsWith("1 matches");
	}

	@Test
	void bulkRetryNeedsTheTypedConfirmationOfThePreviewedCount() throws Exception {
		for (int i = 0; i < 6; i++) {
			DashboardTestApplication.fail(this.redis, (i % 2 == 0) ? "mail" : "default", "Job", "RuntimeError",
					"[" + i + "]");
		}
		Document preview = page("/resque/bulk?op=retry&queue=mail");
		assertThat(preview.select("#preview").text()).startsWith("3 failures match");
		assertThat(preview.select("form button").text()).isEqualTo("Retry");
		MvcResult wrong = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("expected", "3")
			.param("confirm", "yes"));
		assertThat(wrong.getResponse().getStatus()).isEqualTo(400);
		assertThat(this.redis.queues().size("mail")).isZero();
		MvcResult stale = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("expected", "2")
			.param("confirm", "retry 2"));
		assertThat(stale.getResponse().getStatus()).isEqualTo(409);
		MvcResult ok = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("expected", "3")
			.param("confirm", "retry 3"));
		assertThat(ok.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isEqualTo(3);
		MvcResult removed = perform(post("/resque/bulk").param("op", "remove")
			.param("queue", "default")
			.param("expected", "3")
			.param("confirm", "remove 3"));
		assertThat(removed.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.failures().count()).isEqualTo(3);
		assertThat(this.redis.failures().range(0, -1)).allMatch((e) -> e.contains("\"queue\":\"mail\""));
	}

	@Test
	void queuePagesWithLrangeAndClearsAndPauses() throws Exception {
		for (int i = 0; i < 25; i++) {
			this.redis.jobs().enqueue("mail", "{\"class\":\"Mailer\",\"args\":[" + i + "]}");
		}
		Document first = page("/resque/queue?name=mail");
		assertThat(first.select("#jobs tbody tr")).hasSize(20);
		assertThat(first.select("#jobs tbody tr").first().text()).contains("[0]");
		assertThat(page("/resque/queue?name=mail&page=1").select("#jobs tbody tr")).hasSize(5);
		assertThat(perform(post("/resque/queue").param("op", "pause").param("name", "mail")).getResponse().getStatus())
			.isEqualTo(303);
		assertThat(page("/resque/queues").select("#queues tbody tr").text()).contains("paused");
		assertThat(perform(post("/resque/queue").param("op", "resume").param("name", "mail")).getResponse().getStatus())
			.isEqualTo(303);
		assertThat(perform(post("/resque/queue").param("op", "clear").param("name", "mail").param("confirm", "mail"))
			.getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isZero();
		assertThat(this.redis.queues().names()).doesNotContain("mail");
	}

	@Test
	void clearingAQueueNeedsItsNameTypedAndWithoutItDeletesNothing() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.redis.jobs().enqueue("mail", "{\"class\":\"Mailer\",\"args\":[" + i + "]}");
		}
		Element form = page("/resque/queue?name=mail").select("form")
			.stream()
			.filter((f) -> f.select("button").text().equals("Clear"))
			.findFirst()
			.orElseThrow();
		assertThat(form.select("input[name=confirm]").attr("type")).isEqualTo("text");
		assertThat(form.select("input[name=name]").val()).isEqualTo("mail");
		for (String confirm : new String[] { null, "", "mai", "queues" }) {
			MockHttpServletRequestBuilder clear = post("/resque/queue").param("op", "clear").param("name", "mail");
			if (confirm != null) {
				clear.param("confirm", confirm);
			}
			MvcResult refused = perform(clear);
			assertThat(refused.getResponse().getStatus()).as(confirm).isEqualTo(400);
			assertThat(Jsoup.parse(refused.getResponse().getContentAsString(StandardCharsets.UTF_8))
				.select(".problem")
				.text()).as(confirm).contains("type the queue name to confirm").contains("nothing was deleted");
			assertThat(this.redis.queues().size("mail")).as(confirm).isEqualTo(3);
			assertThat(this.redis.queues().names()).as(confirm).contains("mail");
		}
		assertThat(this.events.stream(ResqueWebActionEvent.class))
			.filteredOn((e) -> e.getAction().equals("queue.clear"))
			.hasSize(4)
			.allSatisfy((e) -> assertThat(e.getOutcome()).startsWith("refused"));
		MvcResult cleared = perform(
				post("/resque/queue").param("op", "clear").param("name", "mail").param("confirm", "mail"));
		assertThat(cleared.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isZero();
	}

	@Test
	void aBulkActionStopsAtTheLimitAndSaysHowManyAreLeft() throws Exception {
		// Two other failures first, so that indexes and positions among matches differ.
		DashboardTestApplication.fail(this.redis, "default", "Job", "RuntimeError", "[100]");
		DashboardTestApplication.fail(this.redis, "default", "Job", "RuntimeError", "[101]");
		for (int i = 0; i < 10; i++) {
			DashboardTestApplication.fail(this.redis, "mail", "Job", "RuntimeError", "[" + i + "]");
		}
		Document preview = page("/resque/bulk?op=retry&queue=mail");
		assertThat(preview.select("#preview").text()).startsWith("10 failures match");
		assertThat(preview.select("#bulk-limit").text()).contains("at most 4")
			.contains("resque.web.bulk-limit")
			.contains("the first 4 and leaves 6");
		assertThat(preview.select("code").eachText()).contains("retry 4");
		// The whole count is not the confirmation: only what one action takes.
		MvcResult wrong = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("expected", "10")
			.param("confirm", "retry 10"));
		assertThat(wrong.getResponse().getStatus()).isEqualTo(400);
		assertThat(this.redis.queues().size("mail")).isZero();

		MvcResult first = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("expected", "10")
			.param("confirm", "retry 4"));
		assertThat(first.getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().size("mail")).isEqualTo(4);
		// The next round starts after the last entry retried: [3], at index 5.
		String next = first.getResponse().getHeader("Location");
		assertThat(next).startsWith("bulk?op=retry&queue=mail&from=6&notice=");
		Document second = page("/resque/" + next);
		assertThat(second.select(".notice").text()).contains("retried 4 of 10 matches; 6 left")
			.contains("resque.web.bulk-limit");
		assertThat(second.select("#preview").text()).startsWith("6 failures match");
		assertThat(second.select("input[name=from]").val()).isEqualTo("6");
		MvcResult secondRound = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("from", "6")
			.param("expected", "6")
			.param("confirm", "retry 4"));
		assertThat(secondRound.getResponse().getHeader("Location")).startsWith("bulk?op=retry&queue=mail&from=10&");
		Document third = page("/resque/" + secondRound.getResponse().getHeader("Location"));
		assertThat(third.select("#preview").text()).startsWith("2 failures match");
		assertThat(third.select("#bulk-limit")).isEmpty();
		MvcResult last = perform(post("/resque/bulk").param("op", "retry")
			.param("queue", "mail")
			.param("from", "10")
			.param("expected", "2")
			.param("confirm", "retry 2"));
		assertThat(last.getResponse().getHeader("Location")).startsWith("failed?queue=mail&");
		// Every match ran once, none twice, and the other queue's failures not at all.
		List<String> expected = new java.util.ArrayList<>();
		for (int i = 0; i < 10; i++) {
			expected.add("{\"class\":\"Job\",\"args\":[" + i + "]}");
		}
		assertThat(this.redis.queues().peek("mail", 0, -1)).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(this.redis.queues().size("default")).isZero();

		MvcResult removed = perform(post("/resque/bulk").param("op", "remove")
			.param("queue", "mail")
			.param("expected", "10")
			.param("confirm", "remove 4"));
		assertThat(removed.getResponse().getStatus()).isEqualTo(303);
		// Removed entries are gone, so the next round starts where this one did.
		assertThat(removed.getResponse().getHeader("Location")).startsWith("bulk?op=remove&queue=mail&notice=");
		assertThat(page("/resque/" + removed.getResponse().getHeader("Location")).select(".notice").text())
			.contains("removed 4 of 10 matches; 6 left");
		assertThat(this.redis.failures().count()).isEqualTo(8);
		assertThat(this.redis.failures().range(0, -1)).noneMatch((e) -> e.matches(".*\\[[0-3]\\].*"))
			.anyMatch((e) -> e.contains("[100]"))
			.anyMatch((e) -> e.contains("[4]"));
	}

	@Test
	void workersShowsHeartbeatsAndPrunesDeadWorkers() throws Exception {
		this.redis.workers().register("pool-x", "2026-01-02 03:04:05 +0000", List.of("host:1:mail", "host:2:mail"));
		byte[] old = "2020-01-01 00:00:00 +0000".getBytes(StandardCharsets.UTF_8);
		DashboardTestApplication.redis((c) -> c.hset(this.redis.keys().heartbeats(), "host:1:mail", old));
		Document workers = page("/resque/workers");
		assertThat(workers.select("#workers tbody tr")).hasSize(2);
		assertThat(perform(post("/resque/workers").param("op", "prune")).getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.workers().ids()).containsExactly("host:2:mail");
	}

	@Test
	void pruneRightAfterAnotherPrunerAnswers409AndPrunesNothing() throws Exception {
		this.redis.workers().register("pool-x", "2026-01-02 03:04:05 +0000", List.of("host:1:mail"));
		byte[] old = "2020-01-01 00:00:00 +0000".getBytes(StandardCharsets.UTF_8);
		DashboardTestApplication.redis((c) -> c.hset(this.redis.keys().heartbeats(), "host:1:mail", old));
		assertThat(this.redis.workers().acquirePruneLock("a-pool", java.time.Duration.ofSeconds(60))).isTrue();
		MvcResult refused = perform(post("/resque/workers").param("op", "prune"));
		assertThat(refused.getResponse().getStatus()).isEqualTo(409);
		assertThat(
				Jsoup.parse(refused.getResponse().getContentAsString(StandardCharsets.UTF_8)).select(".problem").text())
			.contains("prune lock")
			.contains("Nothing was done");
		assertThat(this.redis.workers().ids()).containsExactly("host:1:mail");
		assertThat(this.events.stream(ResqueWebActionEvent.class))
			.anySatisfy((e) -> assertThat(e.getOutcome()).isEqualTo("refused: the prune lock is held"));
	}

	@Test
	void delayedJobsCanBeEnqueuedNowOrDeleted() throws Exception {
		long due = Instant.now().plusSeconds(3600).getEpochSecond();
		DashboardTestApplication.delay(this.redis, due, "mail", "Later", "[1]");
		DashboardTestApplication.delay(this.redis, due + 10, "mail", "Later", "[2]");
		Document delayed = page("/resque/delayed");
		assertThat(delayed.select("#delayed tbody tr")).hasSize(2);
		Element first = delayed.select("#delayed tbody tr").first();
		String item = first.selectFirst("input[name=item]").val();
		assertThat(perform(post("/resque/delayed").param("op", "enqueue")
			.param("second", Long.toString(due + 10))
			.param("item", item)).getResponse().getStatus()).isEqualTo(409);
		assertThat(perform(
				post("/resque/delayed").param("op", "enqueue").param("second", Long.toString(due)).param("item", item))
			.getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().peek("mail", 0, -1)).containsExactly("{\"class\":\"Later\",\"args\":[1]}");
		String other = page("/resque/delayed").selectFirst("#delayed input[name=item]").val();
		assertThat(perform(post("/resque/delayed").param("op", "delete")
			.param("second", Long.toString(due + 10))
			.param("item", other)).getResponse().getStatus()).isEqualTo(303);
		assertThat(this.redis.delayed().buckets()).isZero();
	}

	@Test
	void persistedSchedulesCanBeEnqueuedNowOrDeleted() throws Exception {
		this.redis.schedules()
			.persist("nightly", "{\"cron\":\"0 3 * * *\",\"class\":\"Nightly\",\"queue\":\"mail\",\"args\":[7]}");
		Document schedule = page("/resque/schedule");
		assertThat(schedule.select("#schedule tbody tr").text()).contains("nightly").contains("cron 0 3 * * *");
		assertThat(perform(post("/resque/schedule").param("op", "enqueue").param("name", "nightly")).getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(this.redis.queues().peek("mail", 0, -1)).singleElement().asString().contains("\"Nightly\"");
		assertThat(perform(post("/resque/schedule").param("op", "delete").param("name", "nightly")).getResponse()
			.getStatus()).isEqualTo(303);
		assertThat(this.redis.schedules().persisted()).isEmpty();
	}

	@Test
	void fleetPauseIsStoredAndItsCommandPageShowsThePools() throws Exception {
		MvcResult result = perform(post("/resque/pools").param("op", "pause").param("group", "default"));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		String location = result.getResponse().getHeader("Location");
		assertThat(location).startsWith("command?id=");
		Document command = page("/resque/" + location);
		assertThat(command.select("h1").text()).isEqualTo("Pause group 'default' in every pool");
		assertThat(command.select("#ack-poll").attr("data-source")).startsWith("command.json?id=");
		assertThat(perform(get("/resque/" + location.replace("command?", "command.json?"))).getResponse()
			.getContentAsString()).contains("\"settled\":true");
		assertThat(page("/resque/pools").select("#overrides tbody tr").text()).contains("PAUSE");
		MvcResult unknown = perform(post("/resque/pools").param("op", "pause").param("group", "nope"));
		assertThat(unknown.getResponse().getStatus()).isEqualTo(400);
		MvcResult scale = perform(
				post("/resque/pools").param("op", "scale").param("group", "default").param("count", "3"));
		assertThat(scale.getResponse().getStatus()).isEqualTo(303);
	}

	@Test
	void overviewJsonFeedsTheChart() throws Exception {
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		String json = perform(get("/resque/overview.json")).getResponse().getContentAsString();
		assertThat(json).contains("\"queued\":1").contains("\"processed\":0");
		Document overview = page("/resque/");
		assertThat(overview.select("[data-stat=queued]").text()).isEqualTo("1");
		assertThat(overview.select("svg#chart")).hasSize(1);
		assertThat(overview.select("section.outbox")).as("the outbox is off").isEmpty();
		assertThat(page("/resque/stats").select("#redis-info").text()).contains("redis_version");
		assertThat(perform(get("/resque/assets/dashboard.js")).getResponse().getContentType())
			.startsWith("text/javascript");
		assertThat(Set.of(200)).contains(perform(get("/resque/assets/dashboard.css")).getResponse().getStatus());
	}

}
