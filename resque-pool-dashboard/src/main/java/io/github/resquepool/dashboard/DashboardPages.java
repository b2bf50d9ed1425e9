package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.ClassUtils;

/**
 * What every dashboard controller answers with: a page rendered from its template inside
 * the layout (title, navigation, notice, CSRF field), a problem page, a JSON record, or
 * the redirect after an action, which records the action and leaves its notice for the
 * next page.
 */
public final class DashboardPages {

	private static final Log logger = LogFactory.getLog(DashboardPages.class);

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private static final JsonMapper JSON = JsonMapper
		.builder(JsonFactory.builder().characterEscapes(new MarkupEscapes()).build())
		.build();

	/** How many notices and fleet commands the dashboard remembers. */
	static final int MAX_REMEMBERED = 200;

	private static final boolean CSRF_PRESENT = ClassUtils.isPresent("org.springframework.security.web.csrf.CsrfToken",
			DashboardPages.class.getClassLoader());

	private static final List<String[]> NAV = List.of(new String[] { "./", "Overview" },
			new String[] { "queues", "Queues" }, new String[] { "limits", "Limits" },
			new String[] { "working", "Working" }, new String[] { "workers", "Workers" },
			new String[] { "pools", "Pools" }, new String[] { "failed", "Failed" },
			new String[] { "delayed", "Delayed" }, new String[] { "schedule", "Schedule" },
			new String[] { "stats", "Stats" });

	private final Templates templates = Templates.compiled();

	private final ResqueWebSettings settings;

	private final ApplicationEventPublisher events;

	private final Map<String, String> notices = remembered();

	private final AtomicLong ids = new AtomicLong();

	/**
	 * Creates the pages.
	 * @param settings the dashboard's settings
	 * @param events where actions are published
	 */
	public DashboardPages(ResqueWebSettings settings, ApplicationEventPublisher events) {
		this.settings = settings;
		this.events = events;
	}

	ResqueWebSettings settings() {
		return this.settings;
	}

	/**
	 * Renders a page with status 200.
	 * @param request the request
	 * @param template the template's name
	 * @param title the page's title
	 * @param active the navigation entry to mark
	 * @param model what the template shows
	 * @return the answer
	 */
	ResponseEntity<String> page(HttpServletRequest request, String template, String title, String active,
			Object model) {
		return ResponseEntity.ok().contentType(HTML).body(html(request, template, title, active, model));
	}

	private String html(HttpServletRequest request, String template, String title, String active, Object model) {
		String noticeId = request.getParameter("notice");
		String notice = (noticeId != null) ? this.notices.get(noticeId) : null;
		Csrf csrf = null;
		Object token = request.getAttribute("_csrf");
		if (token != null && CSRF_PRESENT) {
			String[] fields = CsrfFields.of(token);
			csrf = (fields != null) ? new Csrf(fields[0], fields[1]) : null;
		}
		List<Link> nav = NAV.stream().map((item) -> new Link(item[0], item[1], item[1].equals(active))).toList();
		List<Link> actuator = this.settings.actuatorLinks()
			.entrySet()
			.stream()
			.map((link) -> new Link(link.getValue(), link.getKey(), false))
			.toList();
		Layout layout = new Layout(title + " · Resque · " + this.settings.application() + " · " + this.settings.redis(),
				this.settings.application(), this.settings.redis(), this.settings.readOnly(), principal(request), csrf,
				nav, actuator, notice);
		return this.templates.render(template, model, Map.of("layout", layout));
	}

	ResponseEntity<String> badRequest(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.BAD_REQUEST, "Not done", message);
	}

	ResponseEntity<String> conflict(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.CONFLICT, "Changed meanwhile", message);
	}

	ResponseEntity<String> notFound(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.NOT_FOUND, "Not found", message);
	}

	ResponseEntity<String> problem(HttpServletRequest request, HttpStatus status, String title, String message) {
		return ResponseEntity.status(status)
			.contentType(HTML)
			.body(html(request, "problem", title, "", new Problem(title, message)));
	}

	/**
	 * Writes a record as JSON with the dashboard's own mapper, whatever the application's
	 * message converters do.
	 * @param body the record
	 * @return the answer
	 */
	static ResponseEntity<String> json(Object body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body));
	}

	/**
	 * Records an action that was done and redirects to a page that shows its outcome.
	 * @param request the request
	 * @param action the action, such as {@code failed.retry}
	 * @param target what it acted on, in words
	 * @param outcome what happened, in words
	 * @param location the page, relative
	 * @return the redirect
	 */
	ResponseEntity<String> done(HttpServletRequest request, String action, String target, String outcome,
			String location) {
		record(request, action, target, outcome);
		String id = Long.toString(this.ids.incrementAndGet(), 36) + Long.toString(System.nanoTime() & 0xffffff, 36);
		this.notices.put(id, capitalize(target) + ": " + outcome + ".");
		return redirect(location + (location.contains("?") ? "&" : "?") + "notice=" + id);
	}

	void record(HttpServletRequest request, String action, String target, String outcome) {
		String principal = principal(request);
		logger.info("Resque dashboard: " + action + " of " + target + " by " + principal + ": " + outcome);
		this.events.publishEvent(new ResqueWebActionEvent(this, action, target, principal, outcome));
	}

	static ResponseEntity<String> redirect(String location) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).build();
	}

	static String principal(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal == null
				&& request.getAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE) instanceof Principal admitted) {
			// Admitted by the interceptor with Basic: the request itself names no user.
			principal = admitted;
		}
		return (principal != null) ? principal.getName() : null;
	}

	static String duration(Long millis) {
		if (millis == null) {
			return "—";
		}
		long s = millis / 1000;
		if (s < 60) {
			return (millis < 10_000) ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : s + " s";
		}
		if (s < 3600) {
			return (s / 60) + " min " + (s % 60) + " s";
		}
		if (s < 86400) {
			return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
		}
		return (s / 86400) + " d " + ((s % 86400) / 3600) + " h";
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	/**
	 * A map that forgets its oldest entries beyond {@link #MAX_REMEMBERED}.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @return a synchronized map
	 */
	static <K, V> Map<K, V> remembered() {
		return Collections.synchronizedMap(new LinkedHashMap<>() {

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > MAX_REMEMBERED;
			}

		});
	}

	/**
	 * JSON's escapes, and {@code <}, {@code >} and {@code &} escaped by their code
	 * points, so that no text of an answer can read as markup.
	 */
	private static final class MarkupEscapes extends CharacterEscapes {

		private final int[] escapes = standardAsciiEscapesForJSON();

		MarkupEscapes() {
			this.escapes['<'] = ESCAPE_STANDARD;
			this.escapes['>'] = ESCAPE_STANDARD;
			this.escapes['&'] = ESCAPE_STANDARD;
		}

		@Override
		public int[] getEscapeCodesForAscii() {
			return this.escapes;
		}

		@Override
		public SerializableString getEscapeSequence(int ch) {
			return null;
		}

	}

	/**
	 * What the layout shows around every page.
	 *
	 * @param title the document's title
	 * @param application the application's name
	 * @param redis which Redis, in words
	 * @param readOnly whether forms are left out
	 * @param principal who is signed in, or {@code null}
	 * @param csrf the CSRF field, or {@code null} without Spring Security
	 * @param nav the navigation
	 * @param actuator the links to Actuator's endpoints
	 * @param notice the outcome of the last action, or {@code null}
	 */
	record Layout(String title, String application, String redis, boolean readOnly, String principal, Csrf csrf,
			List<Link> nav, List<Link> actuator, String notice) {
	}

	record Csrf(String parameter, String token) {
	}

	record Link(String href, String label, boolean active) {
	}

	record Problem(String heading, String message) {
	}

}
