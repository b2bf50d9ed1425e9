package io.github.resquepool.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server-rendered page: the layout (title, navigation, notice) around a body that
 * handlers build with the helpers here. Every value from Redis goes through
 * {@link Html#text}; only the page's own markup is appended raw.
 */
final class Page {

	private static final String[][] NAV = { { "./", "Overview" }, { "queues", "Queues" }, { "working", "Working" },
			{ "workers", "Workers" }, { "pools", "Pools" }, { "failed", "Failed" }, { "delayed", "Delayed" },
			{ "schedule", "Schedule" }, { "stats", "Stats" } };

	private final String title;

	private final String active;

	private final RenderContext context;

	private final StringBuilder body = new StringBuilder(4096);

	Page(String title, String active, RenderContext context) {
		this.title = title;
		this.active = active;
		this.context = context;
	}

	/** Appends trusted markup (never a value from Redis or the request). */
	Page raw(String html) {
		this.body.append(html);
		return this;
	}

	/** Appends an escaped text. */
	Page text(Object value) {
		this.body.append(Html.text(value));
		return this;
	}

	Page heading(String text) {
		return raw("<h1>").text(text).raw("</h1>");
	}

	/** Opens a table wrapped for narrow screens, with the given column headers. */
	Page table(String id, String... headers) {
		raw("<div class=\"scroll\"><table").raw((id != null) ? " id=\"" + id + "\"" : "").raw("><thead><tr>");
		for (String header : headers) {
			raw("<th>").text(header).raw("</th>");
		}
		return raw("</tr></thead><tbody>");
	}

	Page endTable() {
		return raw("</tbody></table></div>");
	}

	/** Appends a row of escaped cells. */
	Page row(Object... cells) {
		raw("<tr>");
		for (Object cell : cells) {
			raw("<td>").text(cell).raw("</td>");
		}
		return raw("</tr>");
	}

	Page link(String href, Object label) {
		return raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
	}

	/**
	 * Appends a POST form with hidden fields and one button, unless the dashboard is
	 * read-only.
	 */
	Page button(String action, String label, Map<String, ?> fields) {
		return form(action, label, fields, null);
	}

	/**
	 * Appends a POST form with hidden fields, optional extra (trusted) inputs and one
	 * button, unless the dashboard is read-only.
	 */
	Page form(String action, String label, Map<String, ?> fields, String extraInputs) {
		if (this.context.readOnly()) {
			return this;
		}
		raw("<form class=\"inline\" method=\"post\" action=\"").text(action).raw("\">");
		for (Map.Entry<String, ?> field : fields.entrySet()) {
			if (field.getValue() != null) {
				hidden(field.getKey(), field.getValue());
			}
		}
		csrf();
		if (extraInputs != null) {
			raw(extraInputs);
		}
		return raw("<button type=\"submit\">").text(label).raw("</button></form>");
	}

	Page hidden(String name, Object value) {
		return raw("<input type=\"hidden\" name=\"").text(name).raw("\" value=\"").text(value).raw("\">");
	}

	Page csrf() {
		if (this.context.csrfParameter() != null) {
			hidden(this.context.csrfParameter(), this.context.csrfToken());
		}
		return this;
	}

	static Map<String, Object> fields(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

	String render() {
		StringBuilder html = new StringBuilder(this.body.length() + 2048);
		html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.append("<title>")
			.append(Html.text(this.title + " · Resque · " + this.context.application() + " · " + this.context.redis()))
			.append("</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"assets/dashboard.css\">")
			.append("<script src=\"assets/dashboard.js\" defer></script></head><body>")
			.append("<header><a class=\"brand\" href=\"./\">Resque</a><span class=\"where\">")
			.append(Html.text(this.context.application()))
			.append(" · ")
			.append(Html.text(this.context.redis()))
			.append("</span>");
		if (this.context.readOnly()) {
			html.append("<span class=\"badge\">read-only</span>");
		}
		if (this.context.principal() != null) {
			html.append("<span class=\"who\">").append(Html.text(this.context.principal())).append("</span>");
		}
		html.append("</header><nav>");
		for (String[] item : NAV) {
			html.append("<a href=\"").append(item[0]).append('"');
			if (item[1].equals(this.active)) {
				html.append(" class=\"active\" aria-current=\"page\"");
			}
			html.append('>').append(item[1]).append("</a>");
		}
		for (Map.Entry<String, String> link : this.context.actuatorLinks().entrySet()) {
			html.append("<a class=\"actuator\" href=\"")
				.append(Html.text(link.getValue()))
				.append("\">")
				.append(Html.text(link.getKey()))
				.append("</a>");
		}
		html.append("</nav><main>");
		if (this.context.notice() != null) {
			html.append("<p class=\"notice\" role=\"status\">").append(Html.text(this.context.notice())).append("</p>");
		}
		html.append(this.body).append("</main></body></html>");
		return html.toString();
	}

	/**
	 * What every page needs to know besides its body.
	 *
	 * @param application the application's name
	 * @param redis which Redis, in words
	 * @param readOnly whether forms are left out
	 * @param principal who is signed in, or {@code null}
	 * @param csrfParameter the CSRF parameter, or {@code null} without Spring Security
	 * @param csrfToken the CSRF token
	 * @param actuatorLinks label to relative link
	 * @param notice the outcome of the last action, or {@code null}
	 */
	record RenderContext(String application, String redis, boolean readOnly, String principal, String csrfParameter,
			String csrfToken, Map<String, String> actuatorLinks, String notice) {
	}

}
