package io.github.resquepool.dashboard;

import java.io.IOException;
import java.security.Principal;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The dashboard behind an application's security (a stand-in for Spring Security's chain
 * that authenticates every request from two headers): {@code resque.web.role} decides who
 * passes.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = { DashboardTestApplication.class, ResqueWebRoleTests.Security.class },
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.role=OPS" })
class ResqueWebRoleTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<ResqueWebFilter> filter;

	@Autowired
	@Qualifier("springSecurityFilterChain")
	Filter security;

	@Test
	void onlyAUserInTheConfiguredRolePasses() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context)
			.addFilters(this.security, this.filter.getFilter())
			.build();
		assertThat(mvc.perform(get("/resque/queues").header("X-User", "customer").header("X-Roles", "CUSTOMER"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		assertThat(mvc.perform(get("/resque/queues").header("X-User", "dev").header("X-Roles", "RESQUE"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		assertThat(mvc.perform(get("/resque/queues").header("X-User", "ops").header("X-Roles", "OPS"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(200);
		assertThat(mvc.perform(get("/resque/queues")).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	@Configuration(proxyBeanMethods = false)
	static class Security {

		@Bean
		Filter springSecurityFilterChain() {
			return new Filter() {

				@Override
				public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
						throws IOException, ServletException {
					HttpServletRequest http = (HttpServletRequest) request;
					String user = http.getHeader("X-User");
					Set<String> roles = Set.of((http.getHeader("X-Roles") != null) ? http.getHeader("X-Roles") : "");
					chain.doFilter((user != null) ? new HttpServletRequestWrapper(http) {

						@Override
						public Principal getUserPrincipal() {
							return () -> user;
						}

						@Override
						public boolean isUserInRole(String role) {
							return roles.contains(role);
						}

					} : http, response);
				}

			};
		}

	}

}
