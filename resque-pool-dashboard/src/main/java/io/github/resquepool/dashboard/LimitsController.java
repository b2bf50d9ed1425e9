package io.github.resquepool.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.resque.QueueLimit;

/**
 * The fleet-wide limits in force (queue limits, configured or overridden, and the limits
 * of job classes and keys with their slots held and the jobs they hold back), and the
 * actions on a queue's limit: set it over the configuration, or reset it to the
 * configuration.
 */
@ResqueWebController
public class LimitsController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final ResqueFleet fleet;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param fleet the fleet control, which reads and sets limits
	 * @param pages the pages
	 */
	public LimitsController(ResqueFleet fleet, DashboardPages pages) {
		this.fleet = fleet;
		this.pages = pages;
	}

	@GetMapping("/limits")
	ResponseEntity<String> limits(HttpServletRequest request) {
		List<Row> rows = this.fleet.limits().stream().map(LimitsController::row).toList();
		return this.pages.page(request, "limits", "Limits", "Limits",
				new Limits(rows, Form.of("limits", "Set limit", "op", "limit")));
	}

	private static Row row(FleetView.Limit limit) {
		boolean queue = limit.queue() != null;
		String rate = (limit.rate() != null && limit.per() != null)
				? limit.rate() + " / " + QueueLimit.window(limit.per()) : "—";
		List<Holder> holders = limit.holders()
			.stream()
			.map((worker) -> new Holder(worker, "working#worker-" + Html.param(worker)))
			.toList();
		SetBy setBy = setBy(limit.setBy());
		Form reset = (queue && "override".equals(limit.source()))
				? Form.of("limits", "Reset to configuration", "op", "reset", "queue", limit.queue()) : null;
		return new Row(queue ? "queue" : "class", queue ? limit.queue() : limit.className(),
				queue ? "queue?name=" + Html.param(limit.queue()) : null, limit.queue(), limit.key(),
				(limit.concurrency() != null) ? limit.concurrency().toString() : "—", rate, limit.held(), holders,
				limit.held() > holders.size(), limit.blocked(), limit.source(), setBy, reset);
	}

	private static SetBy setBy(String json) {
		if (json == null || json.isBlank()) {
			return null;
		}
		try {
			JsonNode node = JSON.readTree(json);
			String by = node.hasNonNull("by") ? node.get("by").asString() : null;
			String at = node.hasNonNull("at") ? node.get("at").asString() : null;
			if (at == null) {
				return new SetBy(by, null, null);
			}
			try {
				Instant when = Instant.parse(at).truncatedTo(ChronoUnit.SECONDS);
				return new SetBy(by, when.toString(), SHOWN.format(when));
			}
			catch (DateTimeParseException ex) {
				return new SetBy(by, null, at);
			}
		}
		catch (JacksonException ex) {
			return new SetBy(json, null, null);
		}
	}

	@PostMapping("/limits")
	ResponseEntity<String> limitsAction(@RequestParam String op, @RequestParam String queue,
			@RequestParam(defaultValue = "") String concurrency, @RequestParam(defaultValue = "") String rate,
			@RequestParam(defaultValue = "") String per, HttpServletRequest request) {
		String target = "queue '" + queue + "'";
		String by = DashboardPages.principal(request);
		try {
			return switch (op) {
				case "limit" -> {
					QueueLimit limit = limit(concurrency, rate, per);
					this.fleet.limitQueue(queue, limit, by);
					yield this.pages.done(request, "queue.limit", target,
							"limited to " + limit + " across the fleet, from every pool's next fetch", "limits");
				}
				case "reset" -> {
					this.fleet.resetQueueLimit(queue, by);
					yield this.pages.done(request, "queue.reset-limit", target, "limit reset to the configuration",
							"limits");
				}
				default -> this.pages.badRequest(request, "Unknown action " + op + ". Nothing was stored.");
			};
		}
		catch (IllegalArgumentException ex) {
			this.pages.record(request, "queue." + op, target, "refused: " + ex.getMessage());
			return this.pages.badRequest(request, "Cannot " + (op.equals("reset") ? "reset the limit of" : "limit")
					+ " queue '" + queue + "': " + ex.getMessage() + ". Nothing was stored.");
		}
	}

	/**
	 * Reads the form's fields as the fleet endpoint reads its body.
	 * @param concurrency digits, or empty
	 * @param rate digits, or empty
	 * @param per a window such as {@code 1m}, or empty for 1s
	 * @return the limit
	 * @throws IllegalArgumentException when a field is malformed or out of range
	 */
	static QueueLimit limit(String concurrency, String rate, String per) {
		int c = number("concurrency", concurrency);
		int r = number("rate", rate);
		if (c == -1 && r == -1) {
			throw new IllegalArgumentException("give a concurrency, a rate, or both");
		}
		String window = per.strip();
		if (r == -1 && !window.isEmpty()) {
			throw new IllegalArgumentException("per is the window of a rate; give a rate too");
		}
		Duration duration = Duration.ofSeconds(1);
		if (!window.isEmpty()) {
			try {
				duration = DurationStyle.detectAndParse(window);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("per must be a window such as 1s or 1m, not '" + window + "'");
			}
			if (duration.toMillis() < 1 || duration.compareTo(Duration.ofDays(1)) > 0) {
				throw new IllegalArgumentException("per must be between 1ms and 1d, not '" + window + "'");
			}
		}
		return new QueueLimit(c, r, duration);
	}

	private static int number(String name, String text) {
		String value = text.strip();
		if (value.isEmpty()) {
			return -1;
		}
		// Digits only: never negative, a fraction or an exponent.
		if (!value.matches("[0-9]{1,7}") || Integer.parseInt(value) > QueueLimit.MAX) {
			throw new IllegalArgumentException("the " + name + " must be a whole number from 0 to " + QueueLimit.MAX
					+ ", not '" + abbreviate(value) + "'");
		}
		return Integer.parseInt(value);
	}

	private static String abbreviate(String value) {
		return (value.length() <= 40) ? value : value.substring(0, 40) + "…";
	}

	record Limits(List<Row> rows, Form set) {
	}

	record Row(String kind, String name, String href, String queue, String key, String concurrency, String rate,
			long held, List<Holder> holders, boolean moreHolders, long blocked, String source, SetBy setBy,
			Form reset) {
	}

	record Holder(String worker, String href) {
	}

	record SetBy(String by, String at, String shown) {
	}

}
