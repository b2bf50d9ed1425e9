package io.github.resquepool.dashboard;

import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;

import io.github.resquepool.outbox.OutboxView;

/**
 * The overview: Resque's counts, the transactional outbox's backlog when the outbox is
 * on, and the JSON its live chart polls.
 */
@ResqueWebController
public class OverviewController {

	private final DashboardData data;

	private final DashboardPages pages;

	private final Supplier<OutboxView> outbox;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param pages the pages
	 */
	public OverviewController(DashboardData data, DashboardPages pages) {
		this(data, pages, () -> null);
	}

	/**
	 * Creates the controller, also showing the transactional outbox.
	 * @param data the reader
	 * @param pages the pages
	 * @param outbox what the outbox's thread counted last, or {@code null} when the
	 * outbox is off
	 */
	public OverviewController(DashboardData data, DashboardPages pages, Supplier<OutboxView> outbox) {
		this.data = data;
		this.pages = pages;
		this.outbox = outbox;
	}

	@GetMapping("")
	ResponseEntity<String> root(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String last = uri.substring(uri.lastIndexOf('/') + 1);
		return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, last + "/").build();
	}

	@GetMapping("/")
	ResponseEntity<String> overview(HttpServletRequest request) {
		DashboardData.Totals totals = this.data.totals();
		List<Card> cards = List.of(new Card("processed", "Processed", totals.processed(), null),
				new Card("failed", "Failed", totals.failures(), "failed"),
				new Card("queued", "Queued", totals.queued(), "queues"),
				new Card("working", "Working", totals.working(), "working"),
				new Card("workers", "Workers", totals.workers(), "workers"),
				new Card("pools", "Pools", totals.pools(), "pools"));
		OutboxView view = this.outbox.get();
		Outbox outbox = (view != null)
				? new Outbox(view.backlog(), DashboardPages.duration(view.oldestAge().toMillis()), view.held()) : null;
		return this.pages.page(request, "overview", "Overview", "Overview", new Overview(cards, outbox));
	}

	@GetMapping(path = "/overview.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> overviewJson() {
		DashboardData.Totals t = this.data.totals();
		return DashboardPages.json(new OverviewJson(t.processed(), t.failures(), t.failedStat(), t.queued(),
				t.working(), t.workers(), t.pools(), t.serverMillis()));
	}

	record Overview(List<Card> cards, Outbox outbox) {
	}

	/**
	 * The transactional outbox, as its thread counted it last.
	 *
	 * @param backlog the rows not delivered yet
	 * @param oldestAge the age of the oldest of them, written out
	 * @param held the rows this instance holds
	 */
	record Outbox(long backlog, String oldestAge, int held) {
	}

	record Card(String key, String label, long value, String href) {
	}

	/**
	 * What the overview's chart polls.
	 *
	 * @param processed Resque's {@code stat:processed}
	 * @param failed the length of the {@code failed} list
	 * @param failedStat Resque's {@code stat:failed}
	 * @param queued how many jobs wait in all queues
	 * @param working how many workers run a job
	 * @param workers how many workers are registered
	 * @param pools how many pools beat
	 * @param time the Redis server's clock, in milliseconds
	 */
	record OverviewJson(long processed, long failed, long failedStat, long queued, long working, long workers,
			long pools, long time) {
	}

}
