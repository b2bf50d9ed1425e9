package io.github.resquepool.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The read-only dashboard behind a real server, asked for its pages under every spelling
 * of its path that a container or Spring MVC may map to it: none answers without
 * authentication, and none takes an action in read-only mode.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=viewer",
				"resque.web.password=pw" })
class ResqueWebPathSpellingsTests {

	/** Spellings of /resque/queues, raw on the wire. */
	static final List<String> SPELLINGS = List.of("/resque/queues", "/resque;x/queues", "/resque/queues;x",
			"/resque;x/queues;y", "/resque;/queues", "/resque;jsessionid=1/queues", "/%72esque/queues",
			"/resque/%71ueues", "/%72%65%73%71%75%65/%71%75%65%75%65%73", "/%72esque;x/%71ueues;y", "//resque/queues",
			"/resque//queues", "/./resque/queues", "/resque/./queues", "/x/../resque/queues", "/resque/x/../queues",
			"/resque/x/..;/queues", "/resque/%2e/queues", "/x/%2e%2e/resque/queues", "/resque%2Fqueues",
			"/resque%2fqueues", "/RESQUE/queues", "/Resque/queues", "/resque/QUEUES", "/resque/queues/",
			"/resque/queues%3Bx", "/resque%3Bx/queues", "/resque%5Cqueues", "/resque/queues%20", "/resque/queues%00",
			"/resque/queues.json", "/resque/queues;", "/resque/;/queues", "/resque/%3B/queues");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@LocalServerPort
	int port;

	@Autowired
	ResqueRedis redis;

	@Autowired
	WebApplicationContext context;

	@BeforeEach
	void seed() {
		this.redis.jobs().enqueue("mail", "{\"class\":\"A\",\"args\":[]}");
	}

	@Test
	void theCanonicalPathAnswersWithCredentials() throws IOException {
		Answer answer = send("GET", "/resque/queues", basic("viewer:pw"), null);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.text()).contains("<h1>Queues</h1>").containsIgnoringCase("Content-Security-Policy:");
	}

	@Test
	void noSpellingOfThePathAnswersAPageWithoutCredentials() throws IOException {
		for (String path : SPELLINGS) {
			Answer answer = send("GET", path, null, null);
			assertThat(answer.status()).as(path).isNotEqualTo(200).isBetween(400, 499);
			assertThat(answer.text()).as(path).doesNotContain("<h1>Queues</h1>").doesNotContain("mail");
		}
	}

	@Test
	void noSpellingOfThePathTakesAnActionInReadOnlyMode() throws IOException {
		String body = "op=clear&name=mail&confirm=mail";
		for (String path : SPELLINGS) {
			String action = path.replace("queues", "queue");
			Answer answer = send("POST", action, basic("viewer:pw"), body);
			assertThat(answer.status()).as(action).isBetween(400, 499);
			assertThat(this.redis.queues().size("mail")).as(action).isEqualTo(1);
		}
	}

	@Test
	void aRequestThatReachesAHandlerWithoutTheFilterIsCheckedAllTheSame() throws Exception {
		// Without the filter at all: the handlers' own check is the last line.
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		for (String path : ResqueWebPagesTests.PAGES) {
			var result = mvc.perform(get(path)).andReturn();
			assertThat(result.getResponse().getStatus()).as(path).isEqualTo(401);
			assertThat(result.getResponse().getHeader("Content-Security-Policy")).as(path)
				.isEqualTo(ResqueWebFilter.CONTENT_SECURITY_POLICY);
		}
		var authenticated = mvc.perform(get("/resque/queues").header("Authorization", basic("viewer:pw"))).andReturn();
		assertThat(authenticated.getResponse().getStatus()).isEqualTo(200);
		var clear = mvc
			.perform(post("/resque/queue").param("op", "clear")
				.param("name", "mail")
				.param("confirm", "mail")
				.header("Authorization", basic("viewer:pw")))
			.andReturn();
		assertThat(clear.getResponse().getStatus()).isEqualTo(403);
		assertThat(this.redis.queues().size("mail")).isEqualTo(1);
	}

	@Test
	void anAssetRequestThatReachesTheResourceHandlerWithoutTheFilterIsCheckedAllTheSame() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		for (String asset : List.of("/resque/assets/dashboard.css", "/resque/assets/dashboard.js")) {
			var refused = mvc.perform(get(asset)).andReturn();
			assertThat(refused.getResponse().getStatus()).as(asset).isEqualTo(401);
			assertThat(refused.getResponse().getContentAsString()).as(asset).doesNotContain("function", "{");
			var served = mvc.perform(get(asset).header("Authorization", basic("viewer:pw"))).andReturn();
			assertThat(served.getResponse().getStatus()).as(asset).isEqualTo(200);
			assertThat(served.getResponse().getHeader("Cache-Control")).as(asset).isEqualTo("max-age=3600");
		}
	}

	private static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	/** HTTP/1.1 over a plain socket, so that no client normalises the path. */
	private Answer send(String method, String path, String authorization, String body) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder(
					method + " " + path + " HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nConnection: close\r\n");
			if (authorization != null) {
				request.append("Authorization: ").append(authorization).append("\r\n");
			}
			byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			if (body != null) {
				request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
					.append(content.length)
					.append("\r\n");
			}
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(content);
			out.flush();
			InputStream in = socket.getInputStream();
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			int status = Integer.parseInt(text.substring(9, 12));
			return new Answer(status, text);
		}
	}

	record Answer(int status, String text) {
	}

}
