package io.github.resquepool.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.dashboard.DashboardData.RunningCheckpoint;
import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.resque.WorkerStore;

/**
 * The registered workers, the jobs they run with their checkpoints, cancelling the job of
 * a pool's worker, and pruning the dead ones.
 */
@ResqueWebController
public class WorkersController {

	/** How long a cancel waits for the job to end before it reports pending. */
	static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(2);

	/** How much of a cursor the Working page shows. */
	static final int MAX_CURSOR = 200;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DashboardData data;

	private final ResqueFleet fleet;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param fleet the fleet control, which cancels jobs
	 * @param pages the pages
	 */
	public WorkersController(DashboardData data, ResqueFleet fleet, DashboardPages pages) {
		this.data = data;
		this.fleet = fleet;
		this.pages = pages;
	}

	@GetMapping("/working")
	ResponseEntity<String> working(HttpServletRequest request) {
		List<DashboardData.WorkerRow> busy = this.data.workers()
			.stream()
			.filter(DashboardData.WorkerRow::busy)
			.toList();
		Map<String, RunningCheckpoint> checkpoints = this.data.checkpoints(busy);
		List<Running> rows = busy.stream()
			.map((w) -> new Running(w.id(), (w.pool() != null) ? w.pool() : "—", w.queue(), w.className(),
					DashboardPages.duration(w.runMillis()), cursor(checkpoints.get(w.id())),
					progress(checkpoints.get(w.id())),
					(w.pool() != null) ? Form.of("working", "Cancel", "op", "cancel", "worker", w.id()) : null))
			.toList();
		return this.pages.page(request, "working", "Working", "Working", new Working(rows));
	}

	private static Cursor cursor(RunningCheckpoint running) {
		if (running == null || running.checkpoint().cursor() == null) {
			return null;
		}
		String text = compact(running.checkpoint().cursor());
		if (text.length() > MAX_CURSOR) {
			// Never half of a surrogate pair.
			int end = Character.isHighSurrogate(text.charAt(MAX_CURSOR - 1)) ? MAX_CURSOR - 1 : MAX_CURSOR;
			text = text.substring(0, end) + "…";
		}
		String saved = (running.savedAgeMillis() != null)
				? "saved " + DashboardPages.duration(running.savedAgeMillis()) + " ago" : null;
		return new Cursor(text, saved);
	}

	private static String compact(String json) {
		try {
			return JSON.readTree(json).toString();
		}
		catch (RuntimeException ex) {
			// A cursor is JSON text; anything else is shown as it was stored.
			return json;
		}
	}

	private static Progress progress(RunningCheckpoint running) {
		Checkpoint.Progress progress = (running != null) ? running.checkpoint().progress() : null;
		if (progress == null) {
			return null;
		}
		int percent = progress.percent();
		String count = (percent >= 0) ? progress.done() + "/" + progress.total() + " (" + percent + "%)"
				: progress.done() + " done";
		String reported = (running.progressAgeMillis() != null)
				? "reported " + DashboardPages.duration(running.progressAgeMillis()) + " ago" : null;
		return new Progress(count, (percent >= 0) ? percent : null, progress.message(), reported);
	}

	@PostMapping("/working")
	ResponseEntity<String> workingAction(@RequestParam String op, @RequestParam String worker,
			HttpServletRequest request) {
		if (!"cancel".equals(op)) {
			return this.pages.badRequest(request, "Unknown action " + op);
		}
		String target = "the job of worker " + worker;
		FleetResult result;
		try {
			result = this.fleet.cancel(worker, null, CANCEL_TIMEOUT, DashboardPages.principal(request));
		}
		catch (IllegalArgumentException ex) {
			this.pages.record(request, "fleet.cancel", target, "refused: " + ex.getMessage());
			return this.pages.badRequest(request, ex.getMessage() + ". Nothing was done.");
		}
		FleetResult.PoolAck ack = result.pools().get(0);
		String outcome = ack.status() + ((ack.message() != null) ? ": " + ack.message() : "");
		if (result.seq() == 0 && ack.id() == null && ack.message() != null
				&& ack.message().startsWith("no such worker")) {
			this.pages.record(request, "fleet.cancel", target, outcome);
			return this.pages.notFound(request, "Cannot cancel " + target + ": " + ack.message()
					+ " (it may have stopped meanwhile). Nothing was done.");
		}
		return this.pages.done(request, "fleet.cancel", target, outcome, "working");
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

	record Running(String id, String pool, String queue, String className, String runningFor, Cursor cursor,
			Progress progress, Form cancel) {
	}

	record Cursor(String text, String saved) {
	}

	record Progress(String count, Integer percent, String message, String reported) {
	}

	record Workers(int count, Form prune, String pruneAfter, List<Worker> rows) {
	}

	record Worker(String id, String pool, String heartbeat, String state, String job) {
	}

}
