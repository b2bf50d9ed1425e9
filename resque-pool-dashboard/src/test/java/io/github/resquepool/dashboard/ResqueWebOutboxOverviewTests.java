package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.outbox.OutboxView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The overview with the transactional outbox on: its backlog, the age of its oldest row
 * and the rows held here, as the outbox's thread counted them (here a fixed count, the
 * dashboard's module having no database), read again for every page.
 */
@SpringBootTest(classes = { DashboardTestApplication.class, ResqueWebOutboxOverviewTests.Outbox.class },
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=ops",
				"resque.web.password=s3cret" })
class ResqueWebOutboxOverviewTests {

	static final AtomicReference<OutboxView> VIEW = new AtomicReference<>();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	@Test
	void theOverviewShowsTheBacklogTheAgeOfItsOldestRowAndTheRowsHeld() throws Exception {
		VIEW.set(new OutboxView(1234, Duration.ofSeconds(75), 7));
		Document page = overview();
		assertThat(page.select("section.outbox h2").text()).isEqualTo("Transactional outbox");
		assertThat(page.select("[data-stat=outbox-backlog]").text()).isEqualTo("1234");
		assertThat(page.select("[data-stat=outbox-oldest-age]").text()).isEqualTo("1 min 15 s");
		assertThat(page.select("[data-stat=outbox-held]").text()).isEqualTo("7");
		VIEW.set(new OutboxView(0, Duration.ZERO, 0));
		Document empty = overview();
		assertThat(empty.select("[data-stat=outbox-backlog]").text()).isEqualTo("0");
		assertThat(empty.select("[data-stat=outbox-oldest-age]").text()).isEqualTo("0.0 s");
	}

	private Document overview() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		MvcResult result = mvc
			.perform(get("/resque/").header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	/** The overview of an application whose outbox counted what {@link #VIEW} holds. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Outbox {

		@Bean
		OverviewController outboxOverviewController(DashboardData data, DashboardPages pages) {
			return new OverviewController(data, pages, VIEW::get);
		}

	}

}
