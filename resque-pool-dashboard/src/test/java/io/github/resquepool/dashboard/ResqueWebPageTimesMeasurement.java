package io.github.resquepool.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedis;

/**
 * Measures the time of every page over HTTP against a Redis with 100,000 queued jobs (in
 * 10 queues) and 10,000 failures, and prints it; asserts nothing about time. Run it with
 * {@code ./mvnw -pl resque-pool-dashboard -am verify -Dgroups=measurement}.
 */
@Tag("measurement")
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "resque.pool.enabled=false", "resque.web.enabled=true", "resque.web.username=ops",
				"resque.web.password=pw", "resque.pool.groups.default.queues=*" })
@DirtiesContext
class ResqueWebPageTimesMeasurement {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	@LocalServerPort
	int port;

	@Autowired
	ResqueRedis redis;

	@Test
	void measurePageTimes() throws Exception {
		TestRedis.shared().flushAll();
		for (int q = 0; q < 10; q++) {
			String queue = "queue" + q;
			for (int batch = 0; batch < 10; batch++) {
				byte[][] jobs = new byte[1000][];
				for (int i = 0; i < jobs.length; i++) {
					jobs[i] = ("{\"class\":\"Job" + (i % 7) + "\",\"args\":[" + i + ",\"x\"],\"enqueued_at\":"
							+ (System.currentTimeMillis() / 1000.0) + "}")
						.getBytes(StandardCharsets.UTF_8);
				}
				DashboardTestApplication.redis((c) -> c.rpush(this.redis.keys().queue(queue), jobs));
			}
			byte[] name = queue.getBytes(StandardCharsets.UTF_8);
			DashboardTestApplication.redis((c) -> c.sadd(this.redis.keys().queues(), name));
		}
		for (int i = 0; i < 10_000; i++) {
			DashboardTestApplication.fail(this.redis, "queue" + (i % 10), "Job" + (i % 7),
					(i % 3 == 0) ? "Timeout" : "RuntimeError", "[" + i + "]");
		}
		var client = java.net.http.HttpClient.newHttpClient();
		String basic = "Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8));
		List<String> pages = List.of("", "queues", "queue?name=queue3&page=200", "working", "workers", "pools",
				"failed", "failed?page=400", "failed?exception=Timeout", "failed?q=%5B9999%5D",
				"failed?q=%5B9999%5D&from=8000", "delayed", "schedule", "stats", "overview.json");
		List<String> report = new ArrayList<>();
		report.add(String.format("%-34s %8s %8s %8s", "page", "median", "max", "bytes"));
		for (String page : pages) {
			var request = java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/resque/" + page))
				.header("Authorization", basic)
				.build();
			for (int warm = 0; warm < 5; warm++) {
				client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			}
			long[] times = new long[15];
			int bytes = 0;
			for (int i = 0; i < times.length; i++) {
				long start = System.nanoTime();
				var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
				times[i] = System.nanoTime() - start;
				bytes = response.body().length();
				if (response.statusCode() != 200) {
					throw new IllegalStateException(page + " answered " + response.statusCode());
				}
			}
			java.util.Arrays.sort(times);
			report.add(String.format("%-34s %6.1f ms %6.1f ms %8d", "/resque/" + page, times[times.length / 2] / 1e6,
					times[times.length - 1] / 1e6, bytes));
		}
		String text = String.join("\n", report);
		System.out.println(text);
		java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
		java.nio.file.Files.writeString(java.nio.file.Path.of("target", "page-times.txt"), text + "\n");
	}

}
