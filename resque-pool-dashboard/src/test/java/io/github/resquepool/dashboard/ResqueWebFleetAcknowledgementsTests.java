package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The command page follows the fleet API's acknowledgements with a live pool: a scale the
 * pool refuses (its groups together above its {@code max-workers}) shows "failed" with
 * the pool's reason, on the page and in its JSON, and a scale it accepts reaches
 * "applied". A count above every pool's {@code max-workers} is refused before it is
 * stored.
 */
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.web.enabled=true", "resque.web.read-only=false", "resque.web.username=ops",
				"resque.web.password=s3cret", "resque.pool.groups.default.queues=work",
				"resque.pool.groups.default.count=1", "resque.pool.groups.other.queues=other",
				"resque.pool.groups.other.count=1", "resque.pool.max-workers=3", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=1s", "resque.pool.recovery-timeout=6s", "resque.scheduler.enabled=false",
				"spring.application.name=fleet-acks-test" })
@DirtiesContext
class ResqueWebFleetAcknowledgementsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

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
	ResquePool pool;

	MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.fleet.view().pools()).singleElement()
				.satisfies((p) -> assertThat(p.online()).isTrue()));
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc
			.perform(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8))))
			.andReturn();
	}

	private String scale(int count) throws Exception {
		MvcResult result = perform(
				post("/resque/pools").param("op", "scale").param("group", "default").param("count", "" + count));
		assertThat(result.getResponse().getStatus()).isEqualTo(303);
		String location = result.getResponse().getHeader("Location");
		assertThat(location).startsWith("command?id=");
		return location;
	}

	private JsonNode settled(String location) {
		String json = "/resque/" + location.replace("command?", "command.json?");
		return await().atMost(WAIT)
			.until(() -> JSON.readTree(perform(get(json)).getResponse().getContentAsString()),
					(node) -> node.path("settled").asBoolean());
	}

	private Document page(String location) throws Exception {
		MvcResult result = perform(get("/resque/" + location));
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	@Test
	void aCountAboveEveryPoolsMaxWorkersIsRefusedWith400AndStoresNothing() throws Exception {
		for (String count : new String[] { "4", "2147483647" }) {
			MvcResult result = perform(
					post("/resque/pools").param("op", "scale").param("group", "default").param("count", count));
			assertThat(result.getResponse().getStatus()).as(count).isEqualTo(400);
			assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("max-workers 3");
		}
		assertThat(this.fleet.view().overrides()).noneMatch((o) -> o.count() != null && o.count() > 3);
	}

	private int defaultCount() {
		return this.pool.status()
			.groups()
			.stream()
			.filter((g) -> g.name().equals("default"))
			.findFirst()
			.orElseThrow()
			.count();
	}

	@Test
	void aScaleThePoolRefusesShowsFailedWithItsReasonAndOneItAcceptsShowsApplied() throws Exception {
		String poolId = this.pool.status().poolId();
		String refused = scale(3);
		JsonNode json = settled(refused);
		assertThat(json.path("pools")).singleElement().satisfies((ack) -> {
			assertThat(ack.path("id").asString()).isEqualTo(poolId);
			assertThat(ack.path("status").asString()).isEqualTo("failed");
			assertThat(ack.path("message").asString()).contains("max-workers=3");
		});
		Document page = page(refused);
		assertThat(page.select("h1").text()).isEqualTo("Scale group 'default' in every pool to 3");
		assertThat(page.select("#acks tr[data-pool] td.status").text()).isEqualTo("failed");
		assertThat(page.select("#acks tr[data-pool] td.status").hasClass("failed")).isTrue();
		assertThat(page.select("#acks tr[data-pool] td.message").text()).contains("max-workers=3");
		assertThat(defaultCount()).isEqualTo(1);

		String accepted = scale(2);
		assertThat(settled(accepted).path("pools")).singleElement()
			.satisfies((ack) -> assertThat(ack.path("status").asString()).isEqualTo("applied"));
		assertThat(page(accepted).select("#acks tr[data-pool] td.status").text()).isEqualTo("applied");
		assertThat(defaultCount()).isEqualTo(2);
		// The refused command still reads as refused.
		assertThat(page(refused).select("#acks tr[data-pool] td.status").text()).isEqualTo("failed");
	}

}
