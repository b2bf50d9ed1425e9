package io.github.resquepool.dashboard;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.resque.WorkerStore;

/**
 * The registered workers, the jobs they run, and pruning the dead ones.
 */
@ResqueWebController
public class WorkersController {

	private final DashboardData data;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param pages the pages
	 */
	public WorkersController(DashboardData data, DashboardPages pages) {
		this.data = data;
		this.pages = pages;
	}

	@GetMapping("/working")
	ResponseEntity<String> working(HttpServletRequest request) {
		List<Running> rows = this.data.workers()
			.stream()
			.filter(DashboardData.WorkerRow::busy)
			.map((w) -> new Running(w.id(), (w.pool() != null) ? w.pool() : "—", w.queue(), w.className(),
					DashboardPages.duration(w.runMillis())))
			.toList();
		return this.pages.page(request, "working", "Working", "Working", new Working(rows));
	}

	@GetMapping("/workers")
	ResponseEntity<String> workers(HttpServletRequest request) {
		List<Worker> rows = this.data.workers()
			.stream()
			.map((w) -> new Worker(w.id(), (w.pool() != null) ? w.pool() : "— (not a pool's)",
					(w.heartbeatAgeMillis() != null) ? DashboardPages.duration(w.heartbeatAgeMillis()) + " ago"
							: "none",
					w.busy() ? "working" : "idle", w.busy() ? w.className() + " on " + w.queue() : ""))
			.toList();
		String pruneAfter = DashboardPages.duration(this.pages.settings().pruneAfter().toMillis());
		return this.pages.page(request, "workers", "Workers", "Workers",
				new Workers(rows.size(), Form.of("workers", "Prune", "op", "prune"), pruneAfter, rows));
	}

	@PostMapping("/workers")
	ResponseEntity<String> workersAction(@RequestParam String op, HttpServletRequest request) {
		if (!"prune".equals(op)) {
			return this.pages.badRequest(request, "Unknown action " + op);
		}
		ResqueWebSettings settings = this.pages.settings();
		Optional<List<String>> result = this.data.pruneDeadWorkers(settings.pruneAfter(), settings.poolLiveness());
		if (result.isEmpty()) {
			this.pages.record(request, "workers.prune", "dead workers", "refused: the prune lock is held");
			return this.pages.conflict(request,
					"Another pruner (a pool, a Ruby worker or this dashboard) pruned " + "dead workers within the last "
							+ WorkerStore.PRUNE_LOCK_TTL.toSeconds()
							+ " s, under Resque's prune lock. Nothing was done; try again after that.");
		}
		List<String> pruned = result.get();
		String outcome = "pruned " + pruned.size() + " workers"
				+ (pruned.isEmpty() ? "" : ": " + String.join(", ", pruned.subList(0, Math.min(10, pruned.size()))));
		return this.pages.done(request, "workers.prune", "dead workers", outcome, "workers");
	}

	record Working(List<Running> rows) {
	}

	record Running(String id, String pool, String queue, String className, String runningFor) {
	}

	record Workers(int count, Form prune, String pruneAfter, List<Worker> rows) {
	}

	record Worker(String id, String pool, String heartbeat, String state, String job) {
	}

}
