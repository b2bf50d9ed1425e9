package io.github.resquepool.dashboard;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Applies {@link ResqueWebFilter}'s checks where Spring MVC routes: a request that
 * reaches one of the dashboard's handlers without having passed the filter (a spelling of
 * the path the filter did not take for the dashboard's, say) passes them here, or gets no
 * further. The dashboard's handlers are the methods of its {@link ResqueWebController
 * controllers} and the resource handler of its {@link #ASSETS assets}.
 */
public class ResqueWebInterceptor implements HandlerInterceptor {

	/** Where the dashboard's static assets (its style sheet and script) are. */
	public static final String ASSETS = "classpath:/io/github/resquepool/dashboard/assets/";

	private static final String ASSETS_PATH = ASSETS.substring("classpath:/".length());

	private final ResqueWebFilter filter;

	/**
	 * Creates the interceptor.
	 * @param filter the filter whose checks it applies
	 */
	public ResqueWebInterceptor(ResqueWebFilter filter) {
		this.filter = filter;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (!isDashboards(handler) || request.getAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE) != null) {
			return true;
		}
		Principal principal = this.filter.admit(request, response);
		if (principal == null) {
			return false;
		}
		request.setAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE, principal);
		return true;
	}

	private static boolean isDashboards(Object handler) {
		if (handler instanceof HandlerMethod method) {
			return AnnotatedElementUtils.hasAnnotation(method.getBeanType(), ResqueWebController.class);
		}
		return handler instanceof ResourceHttpRequestHandler resources && resources.getLocations()
			.stream()
			.anyMatch((location) -> location instanceof ClassPathResource path && path.getPath().equals(ASSETS_PATH));
	}

}
