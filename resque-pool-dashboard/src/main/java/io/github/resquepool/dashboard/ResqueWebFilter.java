package io.github.resquepool.dashboard;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards every request under the dashboard's path, in this order: security headers on
 * every answer (a strict Content-Security-Policy without inline script,
 * {@code frame-ancestors 'none'}, {@code nosniff}); authentication (HTTP Basic with the
 * configured user, compared in constant time, or the application's Spring Security, which
 * must have authenticated the request); a cross-site POST is refused
 * ({@code Sec-Fetch-Site}, else {@code Origin}); and in read-only mode every POST gets
 * 403.
 */
public class ResqueWebFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(ResqueWebFilter.class);

	/** The Content-Security-Policy of every dashboard answer. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

	private final String path;

	private final boolean readOnly;

	private final Authentication authentication;

	private final byte[] usernameDigest;

	private final byte[] passwordDigest;

	/**
	 * How requests are authenticated.
	 */
	public enum Authentication {

		/** HTTP Basic with {@code resque.web.username} and {@code password}. */
		BASIC,

		/**
		 * The application's Spring Security: the request must carry an authenticated
		 * principal.
		 */
		SPRING_SECURITY

	}

	/**
	 * Creates the filter.
	 * @param path the dashboard's path, such as {@code /resque}
	 * @param readOnly whether every POST gets 403
	 * @param authentication how requests are authenticated
	 * @param username the Basic user, or {@code null}
	 * @param password the Basic password, or {@code null}
	 */
	public ResqueWebFilter(String path, boolean readOnly, Authentication authentication, String username,
			String password) {
		this.path = path;
		this.readOnly = readOnly;
		this.authentication = authentication;
		boolean configured = username != null && !username.isEmpty() && password != null && !password.isEmpty();
		this.usernameDigest = configured ? sha256(username) : null;
		this.passwordDigest = configured ? sha256(password) : null;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String within = request.getRequestURI().substring(request.getContextPath().length());
		return !(within.equals(this.path) || within.startsWith(this.path + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "same-origin");
		response.setHeader("Cache-Control", "no-store");
		HttpServletRequest authenticated = authenticate(request, response);
		if (authenticated == null) {
			return;
		}
		boolean post = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
		if (post && isCrossSite(request)) {
			logger.warn("Resque dashboard: refused a cross-site " + request.getMethod() + " of "
					+ request.getRequestURI() + " (Origin " + request.getHeader("Origin") + ", Sec-Fetch-Site "
					+ request.getHeader("Sec-Fetch-Site") + ")");
			refuse(response, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused",
					"The dashboard takes actions only from its own pages.");
			return;
		}
		if (post && this.readOnly) {
			refuse(response, HttpServletResponse.SC_FORBIDDEN, "The dashboard is read-only",
					"Set resque.web.read-only=false to allow actions.");
			return;
		}
		chain.doFilter(authenticated, response);
	}

	private HttpServletRequest authenticate(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (this.authentication == Authentication.SPRING_SECURITY) {
			if (request.getUserPrincipal() == null) {
				refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Sign-in needed",
						"Spring Security let this request through without authenticating it. Protect the dashboard "
								+ "in your SecurityFilterChain, for example with "
								+ "requestMatchers(resqueWeb.pages()).hasRole(\"OPS\") using the ResqueWebRequestMatchers bean.");
				return null;
			}
			return request;
		}
		if (this.usernameDigest == null) {
			response.setHeader("WWW-Authenticate", "Basic realm=\"resque\", charset=\"UTF-8\"");
			refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "The dashboard is closed",
					"No credentials are configured. Set resque.web.username and resque.web.password "
							+ "(HTTP Basic), or add Spring Security and protect the dashboard's path.");
			return null;
		}
		String user = checkBasic(request.getHeader("Authorization"));
		if (user == null) {
			response.setHeader("WWW-Authenticate", "Basic realm=\"resque\", charset=\"UTF-8\"");
			refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Sign-in needed",
					"Sign in with resque.web.username and resque.web.password.");
			return null;
		}
		Principal principal = () -> user;
		return new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return principal;
			}

			@Override
			public String getRemoteUser() {
				return user;
			}

			@Override
			public String getAuthType() {
				return BASIC_AUTH;
			}

		};
	}

	private String checkBasic(String header) {
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			return null;
		}
		String user = decoded.substring(0, colon);
		// Both compared, always, in constant time over fixed-length digests.
		boolean userOk = MessageDigest.isEqual(sha256(user), this.usernameDigest);
		boolean passwordOk = MessageDigest.isEqual(sha256(decoded.substring(colon + 1)), this.passwordDigest);
		return (userOk & passwordOk) ? user : null;
	}

	static boolean isCrossSite(HttpServletRequest request) {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null) {
			return !fetchSite.equals("same-origin");
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return false;
		}
		if (origin.equals("null")) {
			return true;
		}
		try {
			URI uri = URI.create(origin);
			String host = request.getHeader("X-Forwarded-Host");
			if (host == null) {
				host = request.getHeader("Host");
			}
			if (host == null) {
				return true;
			}
			host = host.split(",")[0].strip();
			String originHost = uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
			return !originHost.equalsIgnoreCase(host) && !originHost.equalsIgnoreCase(stripDefaultPort(host));
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	private static String stripDefaultPort(String host) {
		return host.endsWith(":80") || host.endsWith(":443") ? host.substring(0, host.lastIndexOf(':')) : host;
	}

	private static void refuse(HttpServletResponse response, int status, String title, String message)
			throws IOException {
		response.setStatus(status);
		response.setContentType("text/html;charset=UTF-8");
		String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.text(title)
				+ " · Resque</title></head><body><main><h1>" + Html.text(title) + "</h1><p>" + Html.text(message)
				+ "</p></main></body></html>";
		response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
