package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who passes the dashboard's filter: with the application's security a principal in the
 * dashboard's role, not any principal.
 */
class ResqueWebFilterRoleTests {

	@Test
	void withSpringSecurityAPrincipalWithoutTheRoleGets403() throws Exception {
		ResqueWebFilter filter = new ResqueWebFilter("/resque", false, ResqueWebFilter.Authentication.SPRING_SECURITY,
				null, null, "RESQUE");
		MockHttpServletRequest customer = request();
		customer.setUserPrincipal(() -> "customer");
		customer.addUserRole("CUSTOMER");
		MockHttpServletResponse refused = run(filter, customer, new AtomicReference<>());
		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(refused.getContentAsString()).contains("RESQUE").contains("resque.web.role");
		MockHttpServletRequest operator = request();
		operator.setUserPrincipal(() -> "ops");
		operator.addUserRole("RESQUE");
		AtomicReference<HttpServletRequest> passed = new AtomicReference<>();
		assertThat(run(filter, operator, passed).getStatus()).isEqualTo(200);
		assertThat(passed.get()).isNotNull();
	}

	@Test
	void theDefaultRoleIsResque() throws Exception {
		ResqueWebFilter filter = new ResqueWebFilter("/resque", false, ResqueWebFilter.Authentication.SPRING_SECURITY,
				null, null);
		MockHttpServletRequest customer = request();
		customer.setUserPrincipal(() -> "customer");
		assertThat(run(filter, customer, new AtomicReference<>()).getStatus()).isEqualTo(403);
	}

	@Test
	void anEmptyRoleLetsAnyAuthenticatedPrincipalIn() throws Exception {
		ResqueWebFilter filter = new ResqueWebFilter("/resque", false, ResqueWebFilter.Authentication.SPRING_SECURITY,
				null, null, "");
		MockHttpServletRequest anyone = request();
		anyone.setUserPrincipal(() -> "anyone");
		assertThat(run(filter, anyone, new AtomicReference<>()).getStatus()).isEqualTo(200);
		assertThat(run(filter, request(), new AtomicReference<>()).getStatus()).isEqualTo(401);
	}

	@Test
	void theBasicUserHoldsTheRole() throws Exception {
		ResqueWebFilter filter = new ResqueWebFilter("/resque", false, ResqueWebFilter.Authentication.BASIC, "ops",
				"pw", "RESQUE");
		MockHttpServletRequest request = request();
		request.addHeader("Authorization",
				"Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8)));
		AtomicReference<HttpServletRequest> passed = new AtomicReference<>();
		assertThat(run(filter, request, passed).getStatus()).isEqualTo(200);
		assertThat(passed.get().getUserPrincipal().getName()).isEqualTo("ops");
		assertThat(passed.get().isUserInRole("RESQUE")).isTrue();
		assertThat(passed.get().isUserInRole("ADMIN")).isFalse();
	}

	private static MockHttpServletRequest request() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/resque/queues");
		request.setServletPath("/resque/queues");
		return request;
	}

	private static MockHttpServletResponse run(ResqueWebFilter filter, MockHttpServletRequest request,
			AtomicReference<HttpServletRequest> passed) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain() {

			@Override
			public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
				passed.set((HttpServletRequest) req);
			}

		});
		return response;
	}

}
