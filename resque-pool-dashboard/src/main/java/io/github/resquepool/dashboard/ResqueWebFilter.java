package io.github.resquepool.dashboard;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

import io.github.resquepool.web.CrossSiteRequests;

/**
 * Guards every request under the dashboard's path, in this order: a path spelled other
 * than plainly ({@code ;} parameters, percent-encoded letters, {@code .} or empty
 * segments) gets 400; security headers on every answer (a strict Content-Security-Policy
 * without inline script, {@code frame-ancestors 'none'}, {@code nosniff}); authentication
 * (HTTP Basic with the configured user, compared in constant time, or the application's
 * Spring Security, which must have authenticated the request with a principal in the
 * dashboard's role); a cross-site POST is refused ({@code Sec-Fetch-Site}, else
 * {@code Origin}); and in read-only mode every POST gets 403.
 * {@link ResqueWebInterceptor} applies the same checks to any request that reaches the
 * dashboard's handlers without passing here.
 */
public class ResqueWebFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(ResqueWebFilter.class);

	/** The Content-Security-Policy of every dashboard answer. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

	/** The role a principal needs unless {@code resque.web.role} says otherwise. */
	public static final String DEFAULT_ROLE = "RESQUE";

	/**
	 * The request attribute that holds the principal of a request that passed the
	 * dashboard's checks.
	 */
	static final String ADMITTED_ATTRIBUTE = ResqueWebFilter.class.getName() + ".ADMITTED";

	private final String path;

	private final String role;

	private final boolean readOnly;

	private final Authentication authentication;

	private final byte[] usernameDigest;

	private final byte[] passwordDigest;

	private final Templates templates = Templates.compiled();

	/**
	 * How requests are authenticated.
	 */
	public enum Authentication {

		/** HTTP Basic with {@code resque.web.username} and {@code password}. */
		BASIC,

		/**
		 * The application's Spring Security: the request must carry an authenticated
		 * principal in the dashboard's role.
		 */
		SPRING_SECURITY

	}

	/**
	 * Creates the filter, with the default role {@code RESQUE}.
	 * @param path the dashboard's path, such as {@code /resque}
	 * @param readOnly whether every POST gets 403
	 * @param authentication how requests are authenticated
	 * @param username the Basic user, or {@code null}
	 * @param password the Basic password, or {@code null}
	 */
	public ResqueWebFilter(String path, boolean readOnly, Authentication authentication, String username,
			String password) {
		this(path, readOnly, authentication, username, password, DEFAULT_ROLE);
	}

	/**
	 * Creates the filter.
	 * @param path the dashboard's path, such as {@code /resque}
	 * @param readOnly whether every POST gets 403
	 * @param authentication how requests are authenticated
	 * @param username the Basic user, or {@code null}
	 * @param password the Basic password, or {@code null}
	 * @param role the role a principal of the application's security needs, or empty for
	 * any authenticated principal; the Basic user holds it
	 */
	public ResqueWebFilter(String path, boolean readOnly, Authentication authentication, String username,
			String password, String role) {
		this.path = path;
		this.role = (role != null) ? role.strip() : "";
		this.readOnly = readOnly;
		this.authentication = authentication;
		boolean configured = username != null && !username.isEmpty() && password != null && !password.isEmpty();
		this.usernameDigest = configured ? sha256(username) : null;
		this.passwordDigest = configured ? sha256(password) : null;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// Under the path in the raw URI, the container's decoded path or Spring MVC's
		// (decoded, without ';' parameters, normalised), in any case.
		String raw = withinContext(request);
		String canonical = canonical(raw);
		String mapped = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		return !(isUnder(raw, this.path) || isUnder(mapped, this.path) || (canonical != null
				&& isUnder(canonical.toLowerCase(Locale.ROOT), this.path.toLowerCase(Locale.ROOT))));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String raw = withinContext(request);
		if (!raw.equals(canonical(raw)) || !isUnder(raw, this.path)) {
			// Another spelling of a dashboard path: refused rather than guessed at.
			setSecurityHeaders(response);
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Not a dashboard address",
					"The dashboard answers only the plain spelling of its paths: no ';' parameters, "
							+ "no percent-encoded letters or slashes, no '.', '..' or empty segments.");
			return;
		}
		Principal principal = admit(request, response);
		if (principal == null) {
			return;
		}
		request.setAttribute(ADMITTED_ATTRIBUTE, principal);
		chain.doFilter((this.authentication == Authentication.BASIC) ? basicRequest(request, principal) : request,
				response);
	}

	/**
	 * Applies every check of the dashboard to a request: security headers, authentication
	 * and role, same origin for an action, read-only mode.
	 * @param request the request
	 * @param response the response, which carries the refusal when there is one
	 * @return the request's principal, or {@code null} when the request was refused
	 * @throws IOException when the refusal cannot be written
	 */
	Principal admit(HttpServletRequest request, HttpServletResponse response) throws IOException {
		setSecurityHeaders(response);
		Principal principal = authenticate(request, response);
		if (principal == null) {
			return null;
		}
		boolean post = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
		if (post && isCrossSite(request)) {
			logger.warn("Resque dashboard: refused a cross-site " + request.getMethod() + " of "
					+ request.getRequestURI() + " (Origin " + request.getHeader("Origin") + ", Sec-Fetch-Site "
					+ request.getHeader("Sec-Fetch-Site") + ")");
			refuse(response, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused",
					"The dashboard takes actions only from its own pages.");
			return null;
		}
		if (post && this.readOnly) {
			refuse(response, HttpServletResponse.SC_FORBIDDEN, "The dashboard is read-only",
					"Set resque.web.read-only=false to allow actions.");
			return null;
		}
		return principal;
	}

	private static void setSecurityHeaders(HttpServletResponse response) {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "same-origin");
		response.setHeader("Cache-Control", "no-store");
	}

	private Principal authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (this.authentication == Authentication.SPRING_SECURITY) {
			Principal principal = request.getUserPrincipal();
			if (principal == null) {
				refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Sign-in needed",
						"Spring Security let this request through without authenticating it. Protect the dashboard "
								+ "in your SecurityFilterChain, for example with "
								+ "requestMatchers(resqueWeb.all()).hasRole(\"RESQUE\") using the ResqueWebRequestMatchers bean.");
				return null;
			}
			if (!this.role.isEmpty() && !request.isUserInRole(this.role)) {
				refuse(response, HttpServletResponse.SC_FORBIDDEN, "Not for this user", "The dashboard needs role "
						+ this.role + " (resque.web.role), which " + principal.getName() + " does not hold.");
				return null;
			}
			return principal;
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
		return () -> user;
	}

	/** The request as the configured Basic user, who holds the dashboard's role. */
	private HttpServletRequest basicRequest(HttpServletRequest request, Principal principal) {
		return new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return principal;
			}

			@Override
			public String getRemoteUser() {
				return principal.getName();
			}

			@Override
			public String getAuthType() {
				return BASIC_AUTH;
			}

			@Override
			public boolean isUserInRole(String role) {
				return !ResqueWebFilter.this.role.isEmpty() && ResqueWebFilter.this.role.equals(role);
			}

		};
	}

	private static String withinContext(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		return (context != null && uri.startsWith(context)) ? uri.substring(context.length()) : uri;
	}

	private static boolean isUnder(String candidate, String path) {
		return candidate.equals(path) || candidate.startsWith(path + "/");
	}

	/**
	 * The path as Spring MVC reads it: each segment without its {@code ;} parameters and
	 * percent-decoded, then without empty, {@code .} and {@code ..} segments; a trailing
	 * slash kept.
	 * @param raw the raw path
	 * @return the canonical path, or {@code null} when a segment decodes to a slash, a
	 * backslash or a control character, or does not decode
	 */
	static String canonical(String raw) {
		Deque<String> segments = new ArrayDeque<>();
		for (String segment : raw.split("/", -1)) {
			int semicolon = segment.indexOf(';');
			String plain = (semicolon >= 0) ? segment.substring(0, semicolon) : segment;
			String decoded;
			try {
				decoded = URLDecoder.decode(plain.replace("+", "%2B"), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
			if (decoded.chars().anyMatch((c) -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f || c == 0xfffd)) {
				return null;
			}
			if (decoded.equals("..")) {
				segments.pollLast();
			}
			else if (!decoded.isEmpty() && !decoded.equals(".")) {
				segments.addLast(decoded);
			}
		}
		String joined = "/" + String.join("/", segments);
		return (raw.endsWith("/") && !joined.equals("/")) ? joined + "/" : joined;
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
		return CrossSiteRequests.refusal(request::getHeader) != null;
	}

	private void refuse(HttpServletResponse response, int status, String title, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("text/html;charset=UTF-8");
		String html = this.templates.render("refusal", new Refusal(title, message), java.util.Map.of());
		response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
	}

	record Refusal(String title, String message) {
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
