package io.github.resquepool.dashboard;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

/**
 * The dashboard's Mustache templates, read from this package's {@code templates} folder
 * and compiled once. Every {@code {{value}}} is escaped with {@link Html#text}, in
 * element bodies and attribute values alike; no template writes a value unescaped.
 * JMustache is used directly, so the dashboard installs no view resolver in the
 * application.
 */
final class Templates {

	private static final String FOLDER = "templates/";

	private static final List<String> PAGES = List.of("overview", "queues", "queue", "limits", "working", "workers",
			"pools", "command", "failed", "bulk", "delayed", "schedule", "stats", "problem", "refusal");

	private static final Templates COMPILED = new Templates();

	private final Map<String, Template> compiled = new LinkedHashMap<>();

	/**
	 * @return the templates, compiled once for every user of them (the pages and the
	 * filter's refusals)
	 */
	static Templates compiled() {
		return COMPILED;
	}

	private Templates() {
		Mustache.Compiler compiler = Mustache.compiler()
			.withEscaper(Html::text)
			.withLoader(Templates::read)
			.nullValue("")
			.emptyStringIsFalse(true);
		for (String page : PAGES) {
			try (Reader reader = read(page)) {
				this.compiled.put(page, compiler.compile(reader));
			}
			catch (java.io.IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * Renders a page.
	 * @param page the template's name
	 * @param model what the page shows
	 * @param layout what every page shows, looked up after the model
	 * @return the HTML
	 */
	String render(String page, Object model, Object layout) {
		Template template = this.compiled.get(page);
		if (template == null) {
			throw new IllegalArgumentException("No dashboard template " + page);
		}
		StringWriter out = new StringWriter(8192);
		template.execute(model, layout, out);
		return out.toString();
	}

	private static Reader read(String name) {
		InputStream in = Templates.class.getResourceAsStream(FOLDER + name + ".mustache");
		if (in == null) {
			throw new IllegalStateException("No dashboard template " + name);
		}
		return new InputStreamReader(in, StandardCharsets.UTF_8);
	}

}
