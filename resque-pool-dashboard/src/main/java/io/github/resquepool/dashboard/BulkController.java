package io.github.resquepool.dashboard;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Retrying or removing every failure that matches a filter: a preview of one scanned
 * window, then an action confirmed by typing what it will do, which acts on at most
 * {@code resque.web.bulk-limit} entries and leads to the next round.
 */
@ResqueWebController
public class BulkController {

	private final FailedEntries failures;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param failures the failure list
	 * @param pages the pages
	 */
	public BulkController(FailedEntries failures, DashboardPages pages) {
		this.failures = failures;
		this.pages = pages;
	}

	@GetMapping("/bulk")
	ResponseEntity<String> preview(@RequestParam String op, @RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") long from, HttpServletRequest request) {
		ResqueWebSettings settings = this.pages.settings();
		if (settings.readOnly()) {
			// The preview leads to an action only: none in read-only mode, nor its scan.
			return this.pages.problem(request, HttpStatus.FORBIDDEN, "The dashboard is read-only",
					"Set resque.web.read-only=false to allow actions.");
		}
		if (!op.equals("retry") && !op.equals("remove")) {
			return this.pages.badRequest(request, "Unknown action " + op);
		}
		FailedEntries.FailureFilter filter = new FailedEntries.FailureFilter(queue, className, exception, text);
		if (filter.isEmpty()) {
			return this.pages.badRequest(request, "A bulk action needs a filter.");
		}
		long start = Math.max(0, from);
		FailedEntries.Window window = this.failures.scanWindow(filter, start, settings.failedScanLimit(), 0);
		long acted = Math.min(window.matches(), settings.bulkLimit());
		String verb = op.equals("retry") ? "Retry" : "Remove";
		Form form = Form.of("bulk", verb, "op", op, "queue", filter.queue(), "class", filter.className(), "exception",
				filter.exception(), "q", filter.text(), "from", (start > 0) ? start : null, "expected",
				window.matches());
		Preview preview = new Preview(verb, window, filter.describe(), window.to() > window.from(), window.to() - 1,
				"bulk?op=" + op + "&" + filter.toQuery() + "from=" + window.to(), settings.failedScanLimit(),
				settings.bulkLimit(), acted < window.matches(), op.equals("retry") ? "retries" : "removes", acted,
				window.matches() - acted, (window.matches() > 0) ? op + " " + acted : null, form,
				"failed?" + filter.toQuery());
		return this.pages.page(request, "bulk", verb + " matches", "Failed", preview);
	}

	@PostMapping("/bulk")
	ResponseEntity<String> bulk(@RequestParam String op, @RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") long from, @RequestParam long expected,
			@RequestParam(defaultValue = "") String confirm, HttpServletRequest request) {
		FailedEntries.FailureFilter filter = new FailedEntries.FailureFilter(queue, className, exception, text);
		if (filter.isEmpty() || (!op.equals("retry") && !op.equals("remove"))) {
			return this.pages.badRequest(request, "A bulk action needs retry or remove and a filter.");
		}
		ResqueWebSettings settings = this.pages.settings();
		String action = "failed.bulk-" + op;
		String target = "failures matching " + filter.describe();
		long start = Math.max(0, from);
		long phraseCount = Math.min(expected, settings.bulkLimit());
		if (!confirm.strip().equals(op + " " + phraseCount)) {
			this.pages.record(request, action, target, "refused: confirmation did not match");
			return this.pages.badRequest(request,
					"The confirmation did not read \"" + op + " " + phraseCount + "\". Nothing was done.");
		}
		// The preview's window, of which only the first matches up to the limit are kept.
		FailedEntries.Window window = this.failures.scanWindow(filter, start, settings.failedScanLimit(),
				settings.bulkLimit());
		if (window.matches() != expected) {
			this.pages.record(request, action, target, "refused: " + window.matches() + " match now, not " + expected);
			return this.pages.conflict(request, window.matches() + " failures match now, not " + expected
					+ " as previewed. Nothing was done; preview again.");
		}
		List<FailedEntries.Failure> batch = window.kept();
		int done = 0;
		// From the highest index down, so a remove never shifts an entry still to come.
		for (int i = batch.size() - 1; i >= 0; i--) {
			done += act(op, batch.get(i)) ? 1 : 0;
		}
		int skipped = batch.size() - done;
		String outcome = (op.equals("retry") ? "retried " : "removed ") + done
				+ ((skipped > 0) ? ", skipped " + skipped + " that changed or cannot be retried" : "");
		long left = window.matches() - batch.size();
		if (left == 0 && !window.more()) {
			return this.pages.done(request, action, target, outcome, "failed?" + filter.toQuery());
		}
		long next;
		String rest;
		if (left > 0) {
			// Retried entries stay (marked), so the next round starts after them;
			// removed ones are gone, so a remove starts where it did.
			next = op.equals("retry") ? batch.get(batch.size() - 1).index() + 1 : start;
			rest = " of " + window.matches() + " matches; " + left + " left, as one action takes at most "
					+ settings.bulkLimit() + " (resque.web.bulk-limit): confirm the next round below";
		}
		else {
			// Every match of this window done: the next window, moved back by what was
			// removed before it.
			next = op.equals("retry") ? window.to() : window.to() - done;
			rest = "; more entries lie beyond the " + settings.failedScanLimit()
					+ " scanned (resque.web.failed-scan-limit): confirm the next round below";
		}
		String location = "bulk?op=" + op + "&" + filter.toQuery() + ((next > 0) ? "from=" + next : "");
		return this.pages.done(request, action, target, outcome + rest, location.replaceFirst("&$", ""));
	}

	private boolean act(String op, FailedEntries.Failure failure) {
		try {
			return op.equals("retry") ? this.failures.retry(failure) : this.failures.remove(failure);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	record Preview(String verb, FailedEntries.Window window, String filter, boolean anyEntry, long last,
			String nextWindow, int scanLimit, int bulkLimit, boolean limited, String verbs, long acted, long leaves,
			String phrase, Form form, String back) {
	}

}
