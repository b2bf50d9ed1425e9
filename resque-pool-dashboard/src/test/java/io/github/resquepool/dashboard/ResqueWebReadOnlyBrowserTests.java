package io.github.resquepool.dashboard;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default, read-only dashboard in a real Chromium: not one button but Filter.
 */
@EnabledIfChromium
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=viewer",
				"resque.web.password=pw", "spring.application.name=read-only-test" })
@DirtiesContext
class ResqueWebReadOnlyBrowserTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@LocalServerPort
	int port;

	@Autowired
	ResqueRedis redis;

	@Test
	void readOnlyModeShowsNoButtons() throws Exception {
		TestRedis.shared().flushAll();
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
		DashboardTestApplication.fail(this.redis, "mail", "A", "RuntimeError", "[]");
		try (Browser browser = new Browser("viewer", "pw")) {
			for (String page : new String[] { "", "queues", "queue?name=mail", "working", "workers", "pools", "failed",
					"delayed", "schedule", "stats" }) {
				browser.open("http://localhost:" + this.port + "/resque/" + page);
				assertThat(browser.driver().findElements(By.cssSelector("form[method=post]"))).as(page).isEmpty();
				assertThat(browser.driver().findElements(By.tagName("button")))
					.allSatisfy((b) -> assertThat(b.getText()).isEqualTo("Filter"));
				assertThat(browser.consoleErrors()).as(page).isEmpty();
				if (page.equals("failed")) {
					browser.screenshot("read-only-failed");
				}
			}
		}
	}

}
