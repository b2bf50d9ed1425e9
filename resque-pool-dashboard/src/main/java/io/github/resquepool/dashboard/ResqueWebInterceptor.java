package io.github.resquepool.dashboard;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Applies {@link ResqueWebFilter}'s checks where Spring MVC routes: a request that
 * reaches one of the dashboard's handlers without having passed the filter (a spelling of
 * the path the filter did not take for the dashboard's, say) passes them here, or gets no
 * further.
 */
public class ResqueWebInterceptor implements HandlerInterceptor {

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
		if (!(handler instanceof HandlerMethod method)
				|| !ResqueWebController.class.isAssignableFrom(method.getBeanType())
				|| request.getAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE) != null) {
			return true;
		}
		Principal principal = this.filter.admit(request, response);
		if (principal == null) {
			return false;
		}
		request.setAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE, principal);
		return true;
	}

}
