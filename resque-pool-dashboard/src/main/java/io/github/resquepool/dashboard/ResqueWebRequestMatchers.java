package io.github.resquepool.dashboard;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security request matchers of the dashboard, so that one rule protects it (the
 * role must also be {@code resque.web.role}, which the dashboard checks itself):
 * <pre>{@code
 * http.authorizeHttpRequests((requests) -> requests
 *     .requestMatchers(resqueWeb.actions()).hasRole("RESQUE")
 *     .requestMatchers(resqueWeb.pages()).hasRole("RESQUE"));
 * }</pre>
 */
public class ResqueWebRequestMatchers {

	private final String path;

	/**
	 * Creates the matchers.
	 * @param path the dashboard's path, such as {@code /resque}
	 */
	public ResqueWebRequestMatchers(String path) {
		this.path = path;
	}

	/**
	 * @return every request to the dashboard
	 */
	public RequestMatcher all() {
		return (request) -> pattern(null).matches(request)
				|| PathPatternRequestMatcher.withDefaults().matcher(this.path).matches(request);
	}

	/**
	 * @return the dashboard's pages (GET)
	 */
	public RequestMatcher pages() {
		RequestMatcher get = pattern(HttpMethod.GET);
		RequestMatcher root = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, this.path);
		return (request) -> get.matches(request) || root.matches(request);
	}

	/**
	 * @return the dashboard's actions (POST)
	 */
	public RequestMatcher actions() {
		return pattern(HttpMethod.POST);
	}

	private RequestMatcher pattern(HttpMethod method) {
		return PathPatternRequestMatcher.withDefaults().matcher(method, this.path + "/**");
	}

}
