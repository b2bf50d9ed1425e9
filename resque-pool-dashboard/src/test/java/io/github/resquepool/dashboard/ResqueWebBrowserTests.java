package io.github.resquepool.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium, served by a real Tomcat under a context
 * path, with a live pool: every page loads cleanly, a pause reaches "applied", a retry
 * runs the right job, a hostile class name stays text, a running job's progress shows as
 * a bar on the Working page and its Cancel stops it. Screenshots of every page go to
 * {@code target/screenshots}.
 */
@EnabledIfChromium
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.servlet.context-path=/app", "resque.web.enabled=true", "resque.web.read-only=false",
				"resque.web.username=ops", "resque.web.password=s3cret", "resque.pool.groups.default.queues=work",
				"resque.pool.groups.default.count=2", "resque.pool.groups.mail.queues=mail",
				"resque.pool.groups.mail.count=1", "resque.scheduler.enabled=false",
				"spring.application.name=browser-test" })
@Import(ResqueWebBrowserTests.Jobs.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResqueWebBrowserTests {

	static final Queue<Long> ran = new ConcurrentLinkedQueue<>();

	static Browser browser;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().flushAll();
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@LocalServerPort
	int port;

	@Autowired
	ResqueRedis redis;

	@Autowired
	ResqueFleet fleet;

	@BeforeAll
	static void startBrowser() throws Exception {
		browser = new Browser("ops", "s3cret");
	}

	@AfterAll
	static void stopBrowser() throws Exception {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void clean() {
		this.redis.failures().clear();
		ran.clear();
		browser.consoleErrors();
	}

	String url(String page) {
		return "http://localhost:" + this.port + "/app/resque/" + page;
	}

	WebDriverWait waiting() {
		return new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
	}

	@Test
	@Order(1)
	void everyPageLoadsWithNoConsoleErrorAndNoCspViolation() throws Exception {
		for (int i = 0; i < 3; i++) {
			DashboardTestApplication.fail(this.redis, "work", "Recorded", "RuntimeError", "[" + i + "]");
		}
		this.redis.fleet().pauseQueue("parked", "true");
		this.redis.jobs()
			.enqueue("parked", "{\"class\":\"Recorded\",\"args\":[99],\"enqueued_at\":"
					+ (System.currentTimeMillis() / 1000 - 42) + "}");
		DashboardTestApplication.delay(this.redis, Instant.now().plusSeconds(600).getEpochSecond(), "mail", "Reminder",
				"[7,\"en\"]");
		this.redis.schedules()
			.persist("nightly", "{\"cron\":\"0 3 * * *\",\"class\":\"Nightly\",\"queue\":\"mail\",\"args\":[]}");
		String[][] pages = { { "", "overview" }, { "queues", "queues" }, { "queue?name=parked", "queue" },
				{ "limits", "limits-empty" }, { "working", "working" }, { "workers", "workers" }, { "pools", "pools" },
				{ "failed", "failed" }, { "failed?exception=RuntimeError", "failed-filtered" },
				{ "bulk?op=retry&queue=work", "bulk" }, { "delayed", "delayed" }, { "schedule", "schedule" },
				{ "stats", "stats" } };
		for (String[] page : pages) {
			browser.open(url(page[0]));
			assertThat(browser.driver().getTitle()).as(page[0]).contains("browser-test");
			if (page[1].equals("overview")) {
				// Let the live chart poll twice.
				Thread.sleep(6500);
			}
			browser.screenshot(page[1]);
			assertThat(browser.cspViolations()).as(page[0]).isEmpty();
			assertThat(browser.consoleErrors()).as(page[0]).isEmpty();
		}
		assertThat(browser.driver().findElement(By.cssSelector("nav a.active")).getText()).isEqualTo("Stats");
		browser.size(390, 844);
		browser.open(url("failed"));
		browser.screenshot("failed-phone");
		browser.open(url(""));
		browser.screenshot("overview-phone");
		long scrollWidth = (Long) browser.script("return document.documentElement.scrollWidth;");
		assertThat(scrollWidth).isLessThanOrEqualTo(390);
		browser.size(1280, 900);
	}

	@Test
	@Order(2)
	void retryingTheSecondFailureOnTheSecondPageRunsThatJob() throws Exception {
		for (int i = 0; i < 25; i++) {
			DashboardTestApplication.fail(this.redis, "work", "Recorded", "RuntimeError", "[" + i + "]");
		}
		browser.open(url("failed"));
		browser.driver().findElement(By.linkText("Next ›")).click();
		waiting().until((d) -> d.getCurrentUrl().contains("page=1"));
		List<WebElement> rows = browser.driver().findElements(By.cssSelector("#failures tbody tr"));
		assertThat(rows).hasSize(5);
		WebElement second = rows.get(1);
		assertThat(second.getAttribute("data-index")).isEqualTo("21");
		second.findElement(By.xpath(".//button[text()='Retry']")).click();
		waiting().until((d) -> !d.findElements(By.cssSelector(".notice")).isEmpty());
		browser.screenshot("failed-retried");
		assertThat(browser.driver().findElement(By.cssSelector(".notice")).getText()).contains("Failure 21")
			.contains("retried");
		waiting().until((d) -> !ran.isEmpty());
		Thread.sleep(300);
		assertThat(ran).containsExactly(21L);
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	@Order(3)
	void aHostileClassNameRendersAsTextAndRunsNothing() throws Exception {
		String hostile = "<img src=x onerror=\"window.__xss=1\">Evil<script>window.__xss=2</script>";
		DashboardTestApplication.fail(this.redis, "work", hostile, hostile, "[\"<svg onload=window.__xss=3>\"]");
		this.redis.fleet().pauseQueue("held", "true");
		this.redis.jobs().enqueue("held", "{\"class\":\"" + hostile.replace("\"", "\\\"") + "\",\"args\":[]}");
		for (String page : List.of("failed", "queue?name=held", "queues")) {
			browser.open(url(page));
			assertThat(browser.script("return window.__xss === undefined;")).as(page).isEqualTo(true);
			assertThat(browser.driver().findElements(By.cssSelector("main img, main svg[onload]"))).isEmpty();
			assertThat(browser.cspViolations()).isEmpty();
		}
		browser.open(url("failed"));
		assertThat(browser.driver().findElement(By.cssSelector("td.class")).getText()).isEqualTo(hostile);
		browser.screenshot("failed-hostile");
		assertThat(browser.consoleErrors()).isEmpty();
		assertThat(ran).isEmpty();
	}

	@Test
	@Order(4)
	void pausingAGroupShowsEveryPoolsAcknowledgementReachApplied() throws Exception {
		browser.open(url("pools"));
		waiting().until((d) -> !d.findElements(By.cssSelector("#pools tr[data-group=default]")).isEmpty());
		browser.screenshot("pools");
		WebElement row = browser.driver().findElement(By.cssSelector("#fleet-groups tr[data-group=default]"));
		row.findElement(By.xpath(".//button[text()='Pause']")).click();
		waiting().until((d) -> d.getCurrentUrl().contains("command?id="));
		waiting().until((d) -> {
			List<WebElement> statuses = d.findElements(By.cssSelector("#acks td.status"));
			return !statuses.isEmpty() && statuses.stream().allMatch((s) -> s.getText().equals("applied"));
		});
		browser.screenshot("pause-applied");
		assertThat(browser.driver().findElement(By.id("ack-poll")).getText()).isEqualTo("Settled.");
		browser.open(url("pools"));
		assertThat(browser.driver().findElement(By.cssSelector("#pools tr[data-group=default] td.state")).getText())
			.isEqualTo("paused");
		browser.driver()
			.findElement(By.cssSelector("#fleet-groups tr[data-group=default]"))
			.findElement(By.xpath(".//button[text()='Resume']"))
			.click();
		waiting().until((d) -> {
			List<WebElement> statuses = d.findElements(By.cssSelector("#acks td.status"));
			return !statuses.isEmpty() && statuses.stream().allMatch((s) -> s.getText().equals("applied"));
		});
		assertThat(browser.consoleErrors()).isEmpty();
		assertThat(browser.cspViolations()).isEmpty();
	}

	@Test
	@Order(5)
	void aRunningJobsProgressShowsAsABarAndItsCancelStopsIt() throws Exception {
		this.redis.jobs().enqueue("work", "{\"class\":\"Long\",\"args\":[10]}");
		waiting().until((d) -> {
			browser.open(url("working"));
			return !d.findElements(By.cssSelector("#working td.checkpoint progress")).isEmpty();
		});
		WebElement row = browser.driver().findElement(By.cssSelector("#working tr[data-worker]"));
		assertThat(row.findElement(By.cssSelector("progress")).getAttribute("value")).isEqualTo("30");
		assertThat(row.findElement(By.cssSelector(".progress .count")).getText()).isEqualTo("3/10 (30%)");
		assertThat(row.findElement(By.cssSelector(".progress .message")).getText()).isEqualTo(LongJob.MESSAGE);
		assertThat(row.findElement(By.cssSelector(".cursor code")).getText()).isEqualTo("{\"offset\":3}");
		assertThat(browser.script("return window.__xss === undefined;")).isEqualTo(true);
		browser.screenshot("working-progress");
		row.findElement(By.xpath(".//button[text()='Cancel']")).click();
		waiting().until((d) -> !d.findElements(By.cssSelector(".notice")).isEmpty());
		browser.screenshot("working-cancelled");
		assertThat(browser.driver().findElement(By.cssSelector(".notice")).getText()).contains("The job of worker")
			.containsPattern("applied|pending");
		waiting().until((d) -> LongJob.ended.get());
		assertThat(LongJob.cancelled.get()).isTrue();
		assertThat(browser.consoleErrors()).isEmpty();
		assertThat(browser.cspViolations()).isEmpty();
	}

	@Test
	@Order(6)
	void aQueueLimitSetThroughTheFormIsListedAndItsResetRemovesIt() throws Exception {
		browser.open(url("limits"));
		browser.driver().findElement(By.cssSelector("#set-limit input[name=queue]")).sendKeys("exports");
		browser.driver().findElement(By.cssSelector("#set-limit input[name=concurrency]")).sendKeys("2");
		browser.driver().findElement(By.cssSelector("#set-limit input[name=rate]")).sendKeys("30");
		browser.driver().findElement(By.cssSelector("#set-limit input[name=per]")).sendKeys("1m");
		browser.driver().findElement(By.cssSelector("#set-limit button[type=submit]")).click();
		waiting().until((d) -> !d.findElements(By.cssSelector(".notice")).isEmpty());
		assertThat(browser.driver().findElement(By.cssSelector(".notice")).getText()).contains("exports")
			.contains("2, 30/1m");
		WebElement row = browser.driver().findElement(By.cssSelector("#limits tr[data-queue=exports]"));
		assertThat(row.findElement(By.cssSelector("td.concurrency")).getText()).isEqualTo("2");
		assertThat(row.findElement(By.cssSelector("td.rate")).getText()).isEqualTo("30 / 1m");
		assertThat(row.findElement(By.cssSelector("td.source")).getText()).isEqualTo("override");
		assertThat(row.findElement(By.cssSelector("td.set-by")).getText()).contains("ops");
		browser.screenshot("limits");
		assertThat(this.fleet.limits()).anySatisfy((limit) -> {
			assertThat(limit.queue()).isEqualTo("exports");
			assertThat(limit.concurrency()).isEqualTo(2);
			assertThat(limit.setBy()).contains("\"by\":\"ops\"");
		});
		row.findElement(By.xpath(".//button[text()='Reset to configuration']")).click();
		waiting().until((d) -> d.findElement(By.cssSelector(".notice")).getText().contains("reset"));
		assertThat(browser.driver().findElements(By.cssSelector("#limits tr[data-queue=exports]"))).isEmpty();
		assertThat(this.fleet.limits()).noneMatch((limit) -> "exports".equals(limit.queue()));
		assertThat(browser.consoleErrors()).isEmpty();
		assertThat(browser.cspViolations()).isEmpty();
	}

	/** The job the retry test expects to run. */
	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		LongJob longJob() {
			return new LongJob();
		}

	}

	/** Records the argument of every job it runs. */
	static class Recorder {

		@ResqueJob("Recorded")
		public void record(long n) {
			ran.add(n);
		}

	}

	/** Saves a cursor and its progress, then runs until it is cancelled. */
	static class LongJob {

		static final String MESSAGE = "<script>window.__xss=4</script> rows";

		static final AtomicBoolean cancelled = new AtomicBoolean();

		static final AtomicBoolean ended = new AtomicBoolean();

		@ResqueJob("Long")
		public void run(long total, JobContext context) {
			try {
				context.checkpoint(Map.of("offset", 3));
				context.progress(3, total, MESSAGE);
				long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
				while (!context.isCancelled() && System.nanoTime() < deadline) {
					Thread.sleep(20);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				cancelled.set(context.isCancelled());
				ended.set(true);
			}
		}

	}

}
