package io.github.resquepool.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;

/**
 * The queues, one queue's jobs, and their actions: pause, resume and clear.
 */
@ResqueWebController
public class QueuesController {

	private final DashboardData data;

	private final ResqueFleet fleet;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param fleet the fleet control, which pauses queues
	 * @param pages the pages
	 */
	public QueuesController(DashboardData data, ResqueFleet fleet, DashboardPages pages) {
		this.data = data;
		this.fleet = fleet;
		this.pages = pages;
	}

	@GetMapping("/queues")
	ResponseEntity<String> queues(HttpServletRequest request) {
		FleetView view = this.fleet.view();
		List<Row> rows = this.data.queues(Set.copyOf(view.pausedQueues()), view.allQueuesPaused())
			.stream()
			.map((row) -> new Row(row.name(), "queue?name=" + Html.param(row.name()), row.size(),
					DashboardPages.duration(row.latencyMillis()), row.paused() ? "paused" : "running",
					toggle(row.name(), row.paused(), "queues")))
			.toList();
		return this.pages.page(request, "queues", "Queues", "Queues", new Queues(view.allQueuesPaused(), rows));
	}

	@GetMapping("/queue")
	ResponseEntity<String> queue(@RequestParam String name, @RequestParam(defaultValue = "0") int page,
			HttpServletRequest request) {
		int size = this.pages.settings().pageSize();
		int p = Math.max(0, page);
		long length = this.data.redis().queues().size(name);
		List<Job> jobs = this.data.queueJobs(name, (long) p * size, size)
			.stream()
			.map((job) -> new Job(job.index(), job.className(), job.args(),
					(job.enqueuedAt() != null) ? Instant.ofEpochMilli((long) (job.enqueuedAt() * 1000)) : null))
			.toList();
		boolean paused = this.fleet.view().pausedQueues().contains(name);
		Queue model = new Queue(name, length, paused, toggle(name, paused, "queue"),
				Form.of("queue", "Clear", "op", "clear", "name", name, "back", "queues"), jobs,
				Pager.of("queue?name=" + Html.param(name) + "&", p, ((long) p + 1) * size < length));
		return this.pages.page(request, "queue", "Queue " + name, "Queues", model);
	}

	private static Form toggle(String name, boolean paused, String back) {
		return Form.of("queue", paused ? "Resume" : "Pause", "op", paused ? "resume" : "pause", "name", name, "back",
				back);
	}

	@PostMapping("/queue")
	ResponseEntity<String> queueAction(@RequestParam String op, @RequestParam String name,
			@RequestParam(defaultValue = "queues") String back, @RequestParam(defaultValue = "") String confirm,
			HttpServletRequest request) {
		return switch (op) {
			case "clear" -> clear(name, confirm, request);
			case "pause", "resume" -> pauseOrResume(op, name, back, request);
			default -> this.pages.badRequest(request, "Unknown action " + op);
		};
	}

	private ResponseEntity<String> clear(String name, String confirm, HttpServletRequest request) {
		String target = "queue '" + name + "'";
		if (!confirm.equals(name) && !confirm.strip().equals(name)) {
			this.pages.record(request, "queue.clear", target, "refused: confirmation did not match");
			return this.pages.badRequest(request, "Clearing deletes every job of queue '" + name
					+ "': type the queue name to confirm. The confirmation did not match; nothing was deleted.");
		}
		long dropped;
		try {
			dropped = this.data.clearQueue(name);
		}
		catch (NoSuchElementException | IllegalArgumentException ex) {
			this.pages.record(request, "queue.clear", target, "refused: " + ex.getMessage());
			String message = ex.getMessage() + " Clear takes only a queue: nothing was deleted.";
			return (ex instanceof IllegalArgumentException) ? this.pages.badRequest(request, message)
					: this.pages.notFound(request, message);
		}
		return this.pages.done(request, "queue.clear", target, "cleared " + dropped + " jobs", "queues");
	}

	private ResponseEntity<String> pauseOrResume(String op, String name, String back, HttpServletRequest request) {
		String target = "queue '" + name + "'";
		try {
			if (op.equals("pause")) {
				this.fleet.pauseQueue(name, DashboardPages.principal(request));
			}
			else {
				this.fleet.resumeQueue(name, DashboardPages.principal(request));
			}
		}
		catch (IllegalArgumentException ex) {
			this.pages.record(request, "queue." + op, target, "refused: " + ex.getMessage());
			return this.pages.badRequest(request, "Cannot " + op + " '" + name + "': " + ex.getMessage() + ".");
		}
		String outcome = op.equals("pause") ? "paused: applied at once, workers check the key on every fetch"
				: "resumed";
		return this.pages.done(request, "queue." + op, target, outcome,
				"queue".equals(back) ? "queue?name=" + Html.param(name) : "queues");
	}

	record Queues(boolean allPaused, List<Row> rows) {
	}

	record Row(String name, String href, long size, String latency, String state, Form toggle) {
	}

	record Queue(String name, long length, boolean paused, Form toggle, Form clear, List<Job> jobs, Pager pager) {
	}

	record Job(long index, String className, String args, Instant enqueued) {
	}

}
