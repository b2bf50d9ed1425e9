package io.github.resquepool.sample.security;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import io.github.resquepool.dashboard.ResqueWebRequestMatchers;

/**
 * Who may do what: anyone may ask the health endpoint and its groups (the liveness and
 * readiness probes), which show anonymous callers the status alone; everything else, the
 * other Actuator endpoints, the Resque dashboard at {@code /resque} and the demo
 * endpoints, is for operators only (role {@code OPS}, HTTP basic, password from
 * {@code OPS_PASSWORD}). CSRF protection is off for the Actuator and demo paths: they are
 * called with curl and HTTP basic, never from a browser session. The dashboard keeps it:
 * its forms carry the token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectProvider<ResqueWebRequestMatchers> resqueWeb)
			throws Exception {
		// A request refused before authentication (CSRF) keeps its status on the
		// error page rather than turning into a 401.
		http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll());
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll());
		ResqueWebRequestMatchers dashboard = resqueWeb.getIfAvailable();
		if (dashboard != null) {
			// The Resque dashboard (resque.web.enabled), pages and actions alike.
			http.authorizeHttpRequests((requests) -> requests.requestMatchers(dashboard.all()).hasRole("OPS"));
		}
		http.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("OPS"));
		http.httpBasic(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())
			.ignoringRequestMatchers("/demo/**"));
		return http.build();
	}

}
