package io.github.resquepool.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * resque-scheduler's delayed jobs, by the second they are due, and enqueueing one now or
 * deleting it.
 */
@ResqueWebController
public class DelayedController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ITEMS_PER_BUCKET = 10;

	private final DashboardData data;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param pages the pages
	 */
	public DelayedController(DashboardData data, DashboardPages pages) {
		this.data = data;
		this.pages = pages;
	}

	@GetMapping("/delayed")
	ResponseEntity<String> delayed(@RequestParam(defaultValue = "0") int page, HttpServletRequest request) {
		int size = this.pages.settings().pageSize();
		int p = Math.max(0, page);
		long buckets = this.data.delayedBuckets();
		List<Row> rows = new ArrayList<>();
		for (DashboardData.DelayedBucket bucket : this.data.delayed((long) p * size, size, ITEMS_PER_BUCKET)) {
			for (DashboardData.Job job : bucket.items()) {
				rows.add(new Row(bucket.due(), bucket.size(), job.className(), job.args(), queueOf(job.raw()),
						Form.of("delayed", "Enqueue now", "op", "enqueue", "second", bucket.second(), "item",
								job.raw()),
						Form.of("delayed", "Delete", "op", "delete", "second", bucket.second(), "item", job.raw()),
						null));
			}
			if (bucket.size() > bucket.items().size()) {
				rows.add(new Row(null, 0, null, null, null, null, null, bucket.size() - bucket.items().size()));
			}
		}
		Pager pager = Pager.of("delayed?", p, ((long) p + 1) * size < buckets);
		return this.pages.page(request, "delayed", "Delayed", "Delayed", new Delayed(buckets, rows, pager));
	}

	private static String queueOf(String item) {
		try {
			return JSON.readTree(item).path("queue").asString("");
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	@PostMapping("/delayed")
	ResponseEntity<String> delayedAction(@RequestParam String op, @RequestParam long second, @RequestParam String item,
			HttpServletRequest request) {
		if (!this.data.delayedHolds(second, item)) {
			this.pages.record(request, "delayed." + op, "delayed job at " + Instant.ofEpochSecond(second),
					"refused: gone");
			return this.pages.conflict(request, "That delayed job is no longer due at " + Instant.ofEpochSecond(second)
					+ " (it ran or was deleted). Nothing was done.");
		}
		DashboardData.Job job = DashboardData.job(0, item);
		String what = "delayed " + job.className() + " due " + Instant.ofEpochSecond(second);
		try {
			return switch (op) {
				case "enqueue" -> this.pages.done(request, "delayed.enqueue", what,
						"enqueued " + this.data.enqueueDelayedNow(item) + " jobs now", "delayed");
				case "delete" -> this.pages.done(request, "delayed.delete", what,
						"deleted " + this.data.deleteDelayed(item) + " copies", "delayed");
				default -> this.pages.badRequest(request, "Unknown action " + op);
			};
		}
		catch (RuntimeException ex) {
			this.pages.record(request, "delayed." + op, what, "refused: " + ex.getMessage());
			return this.pages.badRequest(request, String.valueOf(ex.getMessage()));
		}
	}

	record Delayed(long buckets, List<Row> rows, Pager pager) {

		boolean none() {
			return this.buckets == 0;
		}

	}

	/**
	 * One delayed job, or the count of a second's jobs beyond those shown.
	 */
	record Row(Instant due, long size, String className, String args, String queue, Form enqueue, Form delete,
			Long more) {
	}

}
