package io.github.resquepool.dashboard;

import org.springframework.security.web.csrf.CsrfToken;

/**
 * Spring Security's CSRF token, when Spring Security is on the class path, for the
 * dashboard's forms. Loaded only when that class is present.
 */
final class CsrfFields {

	private CsrfFields() {
	}

	/**
	 * @param token the {@code _csrf} request attribute
	 * @return the parameter name and the token, or {@code null}
	 */
	static String[] of(Object token) {
		return (token instanceof CsrfToken csrf) ? new String[] { csrf.getParameterName(), csrf.getToken() } : null;
	}

}
