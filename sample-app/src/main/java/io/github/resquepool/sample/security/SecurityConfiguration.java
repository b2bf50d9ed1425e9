package io.github.resquepool.sample.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import io.github.resquepool.dashboard.ResqueWebRequestMatchers;

/**
 * Who may do what: anyone may read the Actuator endpoints (health, metrics, the pool's
 * state), only operators (role {@code OPS}, HTTP basic) may change the pool through
 * {@code POST /actuator/resquepool/...}. The demo endpoints stay open. CSRF protection is
 * off for these paths: they are called with curl and HTTP basic, never from a browser
 * session. The Resque dashboard at {@code /resque} is for operators only, with CSRF
 * protection.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectProvider<ResqueWebRequestMatchers> resqueWeb)
			throws Exception {
		ResqueWebRequestMatchers dashboard = resqueWeb.getIfAvailable();
		if (dashboard != null) {
			// The Resque dashboard (resque.web.enabled): operators only, pages and
			// actions alike; its
			// forms carry the CSRF token.
			http.authorizeHttpRequests((requests) -> requests.requestMatchers(dashboard.all()).hasRole("OPS"));
		}
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.toAnyEndpoint())
			.access((authentication, context) -> new org.springframework.security.authorization.AuthorizationDecision(
					HttpMethod.GET.matches(context.getRequest().getMethod()) || authentication.get()
						.getAuthorities()
						.stream()
						.anyMatch((a) -> "ROLE_OPS".equals(a.getAuthority()))))
			.anyRequest()
			.permitAll());
		http.httpBasic(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())
			.ignoringRequestMatchers("/demo/**"));
		return http.build();
	}

}
