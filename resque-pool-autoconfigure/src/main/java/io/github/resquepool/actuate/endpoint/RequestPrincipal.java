package io.github.resquepool.actuate.endpoint;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The servlet request being served: its authenticated principal, for an operation that
 * cannot take Actuator's {@link SecurityContext}, and its headers.
 */
final class RequestPrincipal implements SecurityContext {

	private static final boolean SERVLET = ClassUtils.isPresent(
			"org.springframework.web.context.request.RequestContextHolder", RequestPrincipal.class.getClassLoader())
			&& ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", RequestPrincipal.class.getClassLoader());

	/** The principal of whatever request the calling thread serves. */
	static final RequestPrincipal INSTANCE = new RequestPrincipal();

	private RequestPrincipal() {
	}

	/**
	 * @return the principal, or {@code null} when there is none or no servlet request
	 */
	static @Nullable Principal current() {
		if (!SERVLET) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest().getUserPrincipal()
				: null;
	}

	/**
	 * @param name a header's name
	 * @return that header of the servlet request being served, or {@code null} when it
	 * has none or there is no servlet request
	 */
	static @Nullable String header(String name) {
		if (!SERVLET) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest().getHeader(name) : null;
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return current();
	}

	@Override
	public boolean isUserInRole(String role) {
		return false;
	}

}
