package io.github.resquepool.dashboard;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.resque.FailureRecord;

/**
 * The failures, filtered with a bounded scan, and retrying or removing the one shown.
 */
@ResqueWebController
public class FailedController {

	private final FailedEntries failures;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param failures the failure list
	 * @param pages the pages
	 */
	public FailedController(FailedEntries failures, DashboardPages pages) {
		this.failures = failures;
		this.pages = pages;
	}

	@GetMapping("/failed")
	ResponseEntity<String> failed(@RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "0") long from,
			HttpServletRequest request) {
		FailedEntries.FailureFilter filter = new FailedEntries.FailureFilter(queue, className, exception, text);
		int p = Math.max(0, page);
		long start = Math.max(0, from);
		ResqueWebSettings settings = this.pages.settings();
		FailedEntries.FailurePage result = this.failures.failures(filter, p, settings.pageSize(), start,
				settings.failedScanLimit());
		String query = filter.toQuery();
		String back = "failed?" + query + "page=" + p + "&from=" + start;
		List<Row> rows = result.entries().stream().map((f) -> row(f, back)).toList();
		long scannedTo = result.scanFrom() + result.scanned();
		// The bulk preview scans the window shown here.
		String window = (result.scanFrom() > 0) ? "from=" + result.scanFrom() : "";
		Summary summary = filter.isEmpty() ? null
				: new Summary(result.matches(), result.scanned(), result.scanFrom(),
						Math.max(result.scanFrom(), scannedTo - 1),
						(scannedTo < result.total()) ? "failed?" + query + "from=" + scannedTo : null,
						"bulk?op=retry&" + query + window, "bulk?op=remove&" + query + window);
		long shown = filter.isEmpty() ? result.total() : result.matches();
		List<Input> inputs = List.of(new Input("queue", "Queue", filter.queue()),
				new Input("class", "Class", filter.className()),
				new Input("exception", "Exception", filter.exception()), new Input("q", "Text", filter.text()));
		Pager pager = Pager.of("failed?" + query + "from=" + result.scanFrom() + "&", p,
				((long) p + 1) * settings.pageSize() < shown);
		return this.pages.page(request, "failed", "Failed", "Failed",
				new Failed(inputs, result.total(), summary, rows, pager));
	}

	private static Row row(FailedEntries.Failure failure, String back) {
		FailureRecord r = failure.record();
		return new Row(failure.index(), r.failedAt(), r.queue(), r.jobClass().orElse(""), r.exception(), r.error(),
				r.payload(), String.join("\n", r.backtrace()), r.worker(), r.retriedAt(),
				Form.of("failed", "Retry", "op", "retry", "index", failure.index(), "digest", failure.digest(), "back",
						back),
				Form.of("failed", "Remove", "op", "remove", "index", failure.index(), "digest", failure.digest(),
						"back", back));
	}

	@PostMapping("/failed")
	ResponseEntity<String> failedAction(@RequestParam String op, @RequestParam long index, @RequestParam String digest,
			@RequestParam(defaultValue = "failed") String back, HttpServletRequest request) {
		String location = back.startsWith("failed") ? back : "failed";
		if (index < 0) {
			return this.pages.badRequest(request,
					"A failure's index is 0 or more; " + index + " is not. Nothing was done.");
		}
		var current = this.failures.failure(index);
		if (current.isEmpty() || !current.get().digest().equals(digest)) {
			this.pages.record(request, "failed." + op, "failure " + index, "refused: the entry changed");
			return this.pages.conflict(request, "The failure at index " + index
					+ " is no longer the one shown (it was removed or the list changed). Nothing was done.");
		}
		FailedEntries.Failure failure = current.get();
		String what = "failure " + index + " (" + failure.record().jobClass().orElse("?") + " on "
				+ failure.record().queue() + ")";
		try {
			boolean ok = switch (op) {
				case "retry" -> this.failures.retry(failure);
				case "remove" -> this.failures.remove(failure);
				default -> throw new IllegalArgumentException("Unknown action " + op);
			};
			if (!ok) {
				this.pages.record(request, "failed." + op, what, "refused: the entry changed");
				return this.pages.conflict(request,
						"The failure at index " + index + " changed meanwhile. Nothing was done.");
			}
		}
		catch (IllegalArgumentException ex) {
			this.pages.record(request, "failed." + op, what, "refused: " + ex.getMessage());
			return this.pages.badRequest(request, ex.getMessage());
		}
		return this.pages.done(request, "failed." + op, what, op.equals("retry") ? "retried" : "removed", location);
	}

	record Failed(List<Input> inputs, long total, Summary summary, List<Row> rows, Pager pager) {
	}

	record Input(String name, String label, String value) {
	}

	record Summary(long matches, long scanned, long scanFrom, long scanLast, String nextScan, String bulkRetry,
			String bulkRemove) {
	}

	record Row(long index, String failedAt, String queue, String jobClass, String exception, String error,
			String payload, String backtrace, String worker, String retriedAt, Form retry, Form remove) {
	}

}
