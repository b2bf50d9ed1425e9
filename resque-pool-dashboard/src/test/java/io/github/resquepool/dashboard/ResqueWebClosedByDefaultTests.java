package io.github.resquepool.dashboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The dashboard enabled without credentials and without Spring Security: closed.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.read-only=false" })
class ResqueWebClosedByDefaultTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	@Test
	void withNoCredentialsConfiguredEveryRequestGets401AndAPageSayingHowToConfigure() throws Exception {
		var mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.filter.getFilter()).build();
		for (String path : ResqueWebPagesTests.PAGES) {
			MvcResult result = mvc.perform(get(path)).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(401);
			assertThat(result.getResponse().getContentAsString()).contains("resque.web.username")
				.contains("resque.web.password");
		}
	}

}
