package io.github.resquepool.dashboard;

import java.util.List;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Resque's counters and a subset of Redis {@code INFO}.
 */
@ResqueWebController
public class StatsController {

	private final DashboardData data;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param pages the pages
	 */
	public StatsController(DashboardData data, DashboardPages pages) {
		this.data = data;
		this.pages = pages;
	}

	@GetMapping("/stats")
	ResponseEntity<String> stats(HttpServletRequest request) {
		DashboardData.Totals t = this.data.totals();
		List<Stat> resque = List.of(new Stat("processed", t.processed()),
				new Stat("failed (stat:failed)", t.failedStat()), new Stat("failed (entries)", t.failures()),
				new Stat("queues", t.queues()), new Stat("pending", t.queued()), new Stat("working", t.working()),
				new Stat("workers", t.workers()), new Stat("pools", t.pools()),
				new Stat("namespace", this.data.redis().keys().namespace()));
		List<Stat> redis = new TreeMap<>(this.data.redisInfo()).entrySet()
			.stream()
			.map((field) -> new Stat(field.getKey(), field.getValue()))
			.toList();
		return this.pages.page(request, "stats", "Stats", "Stats", new Stats(resque, redis));
	}

	record Stats(List<Stat> resque, List<Stat> redis) {
	}

	record Stat(String name, Object value) {
	}

}
