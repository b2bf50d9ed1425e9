package io.github.resquepool.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's templates escape every value, in element bodies and attribute values,
 * and none of them writes a value unescaped.
 */
class TemplatesTests {

	private static final Path FOLDER = Path.of("src/main/resources/io/github/resquepool/dashboard/templates");

	private final Templates templates = Templates.compiled();

	@Test
	void noTemplateWritesAValueUnescaped() throws IOException {
		try (Stream<Path> files = Files.list(FOLDER)) {
			List<Path> all = files.filter((f) -> f.toString().endsWith(".mustache")).toList();
			assertThat(all).hasSizeGreaterThan(10);
			for (Path file : all) {
				String text = Files.readString(file, StandardCharsets.UTF_8);
				assertThat(text).as(file.toString()).doesNotContain("{{{").doesNotContain("{{&");
			}
		}
	}

	@Test
	void aValueThatWouldBreakOutOfAnAttributeStaysInIt() {
		String hostile = "\"><svg onload=alert(1)>'`\u0007";
		String shown = hostile.replace("\u0007", "\uFFFD");
		DashboardPages.Layout layout = new DashboardPages.Layout(hostile, hostile, hostile, false, hostile,
				new DashboardPages.Csrf("_csrf", hostile), List.of(new DashboardPages.Link(hostile, hostile, true)),
				List.of(), hostile);
		QueuesController.Queue queue = new QueuesController.Queue(hostile, 1, true,
				Form.of("queue", hostile, "name", hostile), Form.of("queue", "Clear", "name", hostile),
				List.of(new QueuesController.Job(0, hostile, hostile, null)), Pager.of("queue?name=x&", 1, true));
		String html = this.templates.render("queue", queue, Map.of("layout", layout));
		assertThat(html).doesNotContain("<svg").doesNotContain("\u0007");
		Document doc = Jsoup.parse(html);
		assertThat(doc.select("svg, [onload]")).isEmpty();
		assertThat(doc.title()).isEqualTo(shown);
		assertThat(doc.selectFirst("nav a").attr("href")).isEqualTo(shown);
		assertThat(doc.select("input[name=name]")).hasSize(2)
			.allSatisfy((input) -> assertThat(input.val()).isEqualTo(shown));
		assertThat(doc.select("input[name=_csrf]")).hasSize(2)
			.allSatisfy((input) -> assertThat(input.val()).isEqualTo(shown));
		assertThat(doc.select("#jobs td").eachText()).contains(shown);
		assertThat(doc.select(".notice").text()).isEqualTo(shown);
	}

	@Test
	void aReadOnlyDashboardRendersNoForm() {
		DashboardPages.Layout layout = new DashboardPages.Layout("t", "a", "r", true, null, null, List.of(), List.of(),
				null);
		QueuesController.Queue queue = new QueuesController.Queue("mail", 0, false,
				Form.of("queue", "Pause", "name", "mail"), Form.of("queue", "Clear", "name", "mail"), List.of(),
				Pager.of("queue?name=mail&", 0, false));
		Document doc = Jsoup.parse(this.templates.render("queue", queue, Map.of("layout", layout)));
		assertThat(doc.select("form")).isEmpty();
		assertThat(doc.select("h1").text()).isEqualTo("Queue mail");
	}

}
