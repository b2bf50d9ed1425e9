package io.github.resquepool.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The dashboard's links to the Actuator endpoints beside it: as Actuator maps them (a
 * non-default base path, a path mapping), only those exposed over HTTP, and relative, so
 * that they reach the endpoints under a servlet context path. Each link is followed.
 */
@ExtendWith(RedisExtension.class)
class ResqueWebActuatorLinksTests {

	static final String PAGE = "http://localhost/app/resque/queues";

	abstract static class Links {

		@DynamicPropertySource
		static void redis(DynamicPropertyRegistry registry) {
			TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
		}

		@Autowired
		WebApplicationContext context;

		@Autowired
		FilterRegistrationBean<ResqueWebFilter> filter;

		MockMvc mvc;

		@BeforeEach
		void setUp() {
			this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		}

		/**
		 * The actuator links of a page under the context path {@code /app}: label to
		 * href.
		 */
		Map<String, String> links() throws Exception {
			MvcResult result = this.mvc
				.perform(get(URI.create(PAGE)).contextPath("/app")
					.header("Authorization",
							"Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8))))
				.andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(200);
			Document page = Jsoup.parse(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
			Map<String, String> links = new LinkedHashMap<>();
			for (Element a : page.select("nav a.actuator")) {
				links.put(a.text(), a.attr("href"));
			}
			return links;
		}

		/** Follows a link as a browser on {@link #PAGE} would, and answers its status. */
		int follow(String href) throws Exception {
			URI target = URI.create(PAGE).resolve(href);
			assertThat(target.getPath()).startsWith("/app/");
			return this.mvc.perform(get(target).contextPath("/app")).andReturn().getResponse().getStatus();
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardTestApplication.class,
			properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=ops",
					"resque.web.password=pw", "management.endpoints.web.base-path=/manage",
					"management.endpoints.web.path-mapping.health=healthz",
					"management.endpoints.web.exposure.include=health,resquefleet" })
	class AtANonDefaultBasePath extends Links {

		@Test
		void linkOnlyTheExposedEndpointsWhereActuatorMapsThemAndReachThem() throws Exception {
			Map<String, String> links = links();
			// No pool runs in this process, so there is no pool endpoint to link.
			assertThat(links).containsExactly(Map.entry("Health", "../manage/healthz"),
					Map.entry("Fleet endpoint", "../manage/resquefleet"));
			for (String href : links.values()) {
				assertThat(follow(href)).as(href).isEqualTo(200);
			}
			// The default base path is not where the endpoints are.
			assertThat(follow("../actuator/health")).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardTestApplication.class, properties = { "resque.pool.enabled=false",
			"resque.web.enabled=true", "resque.web.username=ops", "resque.web.password=pw" })
	class ByDefault extends Links {

		@Test
		void linkOnlyHealthWhichAloneIsExposed() throws Exception {
			assertThat(links()).containsExactly(Map.entry("Health", "../actuator/health"));
			assertThat(follow("../actuator/health")).isEqualTo(200);
			assertThat(follow("../actuator/resquefleet")).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardTestApplication.class,
			properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=ops",
					"resque.web.password=pw", "management.server.port=0",
					"management.endpoints.web.exposure.include=*" })
	class OnAManagementPortOfItsOwn extends Links {

		@Test
		void linkNothingARelativeLinkCannotReach() throws Exception {
			assertThat(links()).isEmpty();
		}

	}

}
