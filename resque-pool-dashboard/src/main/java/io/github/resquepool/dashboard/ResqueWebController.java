package io.github.resquepool.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.scheduler.ResqueScheduler;
import io.github.resquepool.scheduler.ScheduleEntry;

/**
 * The dashboard's pages and actions. Pages answer GET and change nothing; actions answer
 * POST only, then redirect (303) back to a page with a notice. Every link and redirect is
 * relative, so the dashboard works under a context path and behind a proxy that strips a
 * prefix.
 */
@Controller
@RequestMapping("${resque.web.path:/resque}")
public class ResqueWebController {

	private static final Log logger = LogFactory.getLog(ResqueWebController.class);

	private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

	private static final int MAX_REMEMBERED = 200;

	private static final boolean CSRF_PRESENT = org.springframework.util.ClassUtils
		.isPresent("org.springframework.security.web.csrf.CsrfToken", ResqueWebController.class.getClassLoader());

	private final DashboardData data;

	private final ResqueFleet fleet;

	private final Supplier<ResqueScheduler> scheduler;

	private final ApplicationEventPublisher events;

	private final Settings settings;

	private final Map<String, String> notices = Collections.synchronizedMap(new Bounded<>());

	private final Map<Long, TrackedCommand> commands = Collections.synchronizedMap(new Bounded<>());

	private final AtomicLong ids = new AtomicLong();

	/**
	 * What the controller is told about its surroundings.
	 *
	 * @param application the application's name, for page titles
	 * @param redis which Redis, in words, for page titles
	 * @param readOnly whether actions are off
	 * @param pageSize rows per page
	 * @param failedScanLimit entries a filtered Failed view reads at most
	 * @param actuatorLinks label to link, relative to the dashboard
	 * @param pruneAfter the heartbeat age after which Prune takes a worker for dead
	 * @param poolLiveness how recent a pool's beat must be for Prune to leave its workers
	 * alone
	 * @param bulkLimit how many failures one bulk retry or remove acts on at most
	 */
	public record Settings(String application, String redis, boolean readOnly, int pageSize, int failedScanLimit,
			Map<String, String> actuatorLinks, Duration pruneAfter, Duration poolLiveness, int bulkLimit) {
	}

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param fleet the fleet control
	 * @param scheduler the pool's scheduler, or a supplier of {@code null}
	 * @param events where actions are published
	 * @param settings the settings
	 */
	public ResqueWebController(DashboardData data, ResqueFleet fleet, Supplier<ResqueScheduler> scheduler,
			ApplicationEventPublisher events, Settings settings) {
		this.data = data;
		this.fleet = fleet;
		this.scheduler = scheduler;
		this.events = events;
		this.settings = settings;
	}

	// ---- overview

	@GetMapping("")
	ResponseEntity<String> root(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String last = uri.substring(uri.lastIndexOf('/') + 1);
		return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, last + "/").build();
	}

	@GetMapping("/")
	ResponseEntity<String> overview(HttpServletRequest request) {
		DashboardData.Totals totals = this.data.totals();
		Page page = page("Overview", request);
		page.heading("Overview").raw("<div class=\"cards\">");
		card(page, "processed", "Processed", totals.processed(), null);
		card(page, "failed", "Failed", totals.failures(), "failed");
		card(page, "queued", "Queued", totals.queued(), "queues");
		card(page, "working", "Working", totals.working(), "working");
		card(page, "workers", "Workers", totals.workers(), "workers");
		card(page, "pools", "Pools", totals.pools(), "pools");
		page.raw("</div><section class=\"chart\"><h2>Jobs per poll</h2>")
			.raw("<svg id=\"chart\" data-source=\"overview.json\" viewBox=\"0 0 300 80\" preserveAspectRatio=\"none\" ")
			.raw("role=\"img\" aria-label=\"processed and failed jobs per poll\">")
			.raw("<polyline class=\"processed\" points=\"\"></polyline><polyline class=\"failed\" points=\"\"></polyline>")
			.raw("</svg><p class=\"legend\"><span class=\"processed\">processed</span> <span class=\"failed\">failed</span>")
			.raw(" <span id=\"chart-state\">live</span></p></section>");
		return ok(page);
	}

	private static void card(Page page, String key, String label, long value, String href) {
		page.raw("<div class=\"card\"><div class=\"label\">");
		if (href != null) {
			page.link(href, label);
		}
		else {
			page.text(label);
		}
		page.raw("</div><div class=\"value\" data-stat=\"").raw(key).raw("\">").text(value).raw("</div></div>");
	}

	@GetMapping(path = "/overview.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> overviewJson() {
		DashboardData.Totals t = this.data.totals();
		String json = "{\"processed\":" + t.processed() + ",\"failed\":" + t.failures() + ",\"failedStat\":"
				+ t.failedStat() + ",\"queued\":" + t.queued() + ",\"working\":" + t.working() + ",\"workers\":"
				+ t.workers() + ",\"pools\":" + t.pools() + ",\"time\":" + t.serverMillis() + "}";
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
	}

	@GetMapping("/assets/{name:[a-z]+\\.(?:css|js)}")
	ResponseEntity<byte[]> asset(@PathVariable String name) throws IOException {
		try (InputStream in = ResqueWebController.class.getResourceAsStream("assets/" + name)) {
			if (in == null) {
				return ResponseEntity.notFound().build();
			}
			MediaType type = name.endsWith(".css") ? new MediaType("text", "css") : new MediaType("text", "javascript");
			return ResponseEntity.ok()
				.contentType(type)
				.cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
				.body(in.readAllBytes());
		}
	}

	// ---- queues

	@GetMapping("/queues")
	ResponseEntity<String> queues(HttpServletRequest request) {
		FleetView view = this.fleet.view();
		List<DashboardData.QueueRow> rows = this.data.queues(Set.copyOf(view.pausedQueues()), view.allQueuesPaused());
		Page page = page("Queues", request);
		page.heading("Queues");
		if (view.allQueuesPaused()) {
			page.raw("<p class=\"warn\">Every queue is paused (resque-pause's <code>pause:all</code>).</p>");
		}
		page.table("queues", "Queue", "Size", "Latency", "State", "");
		for (DashboardData.QueueRow row : rows) {
			page.raw("<tr><td>").link("queue?name=" + Html.param(row.name()), row.name()).raw("</td><td>");
			page.text(row.size()).raw("</td><td>").text(duration(row.latencyMillis())).raw("</td><td>");
			page.text(row.paused() ? "paused" : "running").raw("</td><td class=\"actions\">");
			page.button("queue", row.paused() ? "Resume" : "Pause",
					Page.fields("op", row.paused() ? "resume" : "pause", "name", row.name(), "back", "queues"));
			page.raw("</td></tr>");
		}
		if (rows.isEmpty()) {
			page.raw("<tr><td colspan=\"5\">No queues.</td></tr>");
		}
		return ok(page.endTable());
	}

	@GetMapping("/queue")
	ResponseEntity<String> queue(@RequestParam String name, @RequestParam(defaultValue = "0") int page,
			HttpServletRequest request) {
		int size = this.settings.pageSize();
		int p = Math.max(0, page);
		long length = this.data.redis().queues().size(name);
		List<DashboardData.Job> jobs = this.data.queueJobs(name, (long) p * size, size);
		boolean paused = this.fleet.view().pausedQueues().contains(name);
		Page html = page("Queue " + name, "Queues", request);
		html.raw("<h1>Queue <span class=\"name\">").text(name).raw("</span></h1><p>").text(length).raw(" jobs");
		html.raw(paused ? ", paused" : "").raw(". ");
		html.button("queue", paused ? "Resume" : "Pause",
				Page.fields("op", paused ? "resume" : "pause", "name", name, "back", "queue"));
		html.raw("</p>");
		if (!this.settings.readOnly()) {
			html.raw("<div class=\"clear\"><p>Clear deletes every job of this queue. Type <code>")
				.text(name)
				.raw("</code> to confirm.</p>");
			html.form("queue", "Clear", Page.fields("op", "clear", "name", name, "back", "queues"),
					"<label>Queue name <input type=\"text\" name=\"confirm\" autocomplete=\"off\" required></label> ");
			html.raw("</div>");
		}
		html.table("jobs", "#", "Class", "Arguments", "Enqueued");
		for (DashboardData.Job job : jobs) {
			html.row(job.index(), job.className(), job.args(),
					(job.enqueuedAt() != null) ? Instant.ofEpochMilli((long) (job.enqueuedAt() * 1000)) : "");
		}
		html.endTable();
		pager(html, "queue?name=" + Html.param(name) + "&", p, ((long) p + 1) * size < length);
		return ok(html);
	}

	@PostMapping("/queue")
	ResponseEntity<String> queueAction(@RequestParam String op, @RequestParam String name,
			@RequestParam(defaultValue = "queues") String back, @RequestParam(defaultValue = "") String confirm,
			HttpServletRequest request) {
		String location = "queue".equals(back) ? "queue?name=" + Html.param(name) : "queues";
		return switch (op) {
			case "clear" -> {
				if (!confirm.equals(name) && !confirm.strip().equals(name)) {
					record(request, "queue.clear", "queue '" + name + "'", "refused: confirmation did not match");
					yield badRequest(request, "Clearing deletes every job of queue '" + name
							+ "': type the queue name to confirm. The confirmation did not match; nothing was deleted.");
				}
				long dropped;
				try {
					dropped = this.data.clearQueue(name);
				}
				catch (java.util.NoSuchElementException | IllegalArgumentException ex) {
					record(request, "queue.clear", "queue '" + name + "'", "refused: " + ex.getMessage());
					String message = ex.getMessage() + " Clear takes only a queue: nothing was deleted.";
					yield (ex instanceof IllegalArgumentException) ? badRequest(request, message)
							: notFound(request, message);
				}
				yield done(request, "queue.clear", "queue '" + name + "'", "cleared " + dropped + " jobs", "queues");
			}
			case "pause", "resume" -> {
				try {
					if (op.equals("pause")) {
						this.fleet.pauseQueue(name, principal(request));
					}
					else {
						this.fleet.resumeQueue(name, principal(request));
					}
				}
				catch (IllegalArgumentException ex) {
					record(request, "queue." + op, "queue '" + name + "'", "refused: " + ex.getMessage());
					yield badRequest(request, "Cannot " + op + " '" + name + "': " + ex.getMessage() + ".");
				}
				yield done(
						request, "queue." + op, "queue '" + name + "'", op.equals("pause")
								? "paused: applied at once, workers check the key on every fetch" : "resumed",
						location);
			}
			default -> badRequest(request, "Unknown action " + op);
		};
	}

	// ---- working and workers

	@GetMapping("/working")
	ResponseEntity<String> working(HttpServletRequest request) {
		Page page = page("Working", request);
		page.heading("Working").table("working", "Worker", "Pool", "Queue", "Class", "Running for");
		int n = 0;
		for (DashboardData.WorkerRow w : this.data.workers()) {
			if (w.busy()) {
				page.row(w.id(), (w.pool() != null) ? w.pool() : "—", w.queue(), w.className(),
						duration(w.runMillis()));
				n++;
			}
		}
		if (n == 0) {
			page.raw("<tr><td colspan=\"5\">Nothing is running.</td></tr>");
		}
		return ok(page.endTable());
	}

	@GetMapping("/workers")
	ResponseEntity<String> workers(HttpServletRequest request) {
		List<DashboardData.WorkerRow> workers = this.data.workers();
		Page page = page("Workers", request);
		page.heading("Workers").raw("<p>").text(workers.size()).raw(" registered. ");
		page.button("workers", "Prune", Page.fields("op", "prune"));
		page.raw(" <small>(unregisters workers whose heartbeat is older than ")
			.text(duration(this.settings.pruneAfter().toMillis()))
			.raw(", never those of a pool that still beats)</small></p>");
		page.table("workers", "Worker", "Pool", "Heartbeat", "State", "Job");
		for (DashboardData.WorkerRow w : workers) {
			page.row(w.id(), (w.pool() != null) ? w.pool() : "— (not a pool's)",
					(w.heartbeatAgeMillis() != null) ? duration(w.heartbeatAgeMillis()) + " ago" : "none",
					w.busy() ? "working" : "idle", w.busy() ? w.className() + " on " + w.queue() : "");
		}
		return ok(page.endTable());
	}

	@PostMapping("/workers")
	ResponseEntity<String> workersAction(@RequestParam String op, HttpServletRequest request) {
		if (!"prune".equals(op)) {
			return badRequest(request, "Unknown action " + op);
		}
		List<String> pruned = this.data.pruneDeadWorkers(this.settings.pruneAfter().toSeconds(),
				this.settings.poolLiveness());
		return done(request, "workers.prune", "dead workers", "pruned " + pruned.size() + " workers"
				+ (pruned.isEmpty() ? "" : ": " + String.join(", ", pruned.subList(0, Math.min(10, pruned.size())))),
				"workers");
	}

	// ---- pools

	@GetMapping("/pools")
	ResponseEntity<String> pools(HttpServletRequest request) {
		FleetView view = this.fleet.view();
		Page page = page("Pools", request);
		page.heading("Pools");
		Set<String> groups = new TreeSet<>();
		page.table("pools", "Pool", "Group", "Queues", "Desired", "Live", "Busy", "State", "");
		for (FleetView.Pool pool : view.pools()) {
			String poolLabel = pool.id() + (pool.online() ? "" : " (offline)");
			if (pool.groups().isEmpty()) {
				page.row(poolLabel, "", "", "", "", "", pool.state(), "");
			}
			for (FleetView.Group group : pool.groups()) {
				groups.add(group.name());
				page.raw("<tr data-pool=\"").text(pool.id()).raw("\" data-group=\"").text(group.name()).raw("\"><td>");
				page.text(poolLabel).raw("</td><td>").text(group.name()).raw("</td><td>").text(group.queues());
				page.raw("</td><td>")
					.text(group.count())
					.raw(group.overridden() ? " <abbr title=\"fleet override\">*</abbr>" : "");
				page.raw("</td><td>").text(group.live()).raw("</td><td>").text(group.busy());
				page.raw("</td><td class=\"state\">").text(group.state()).raw("</td><td class=\"actions\">");
				groupButtons(page, pool.id(), group.name(), group.count());
				page.raw("</td></tr>");
			}
		}
		if (view.pools().isEmpty()) {
			page.raw("<tr><td colspan=\"8\">No pool beats on this Redis.</td></tr>");
		}
		page.endTable();
		if (!groups.isEmpty() && !this.settings.readOnly()) {
			page.raw("<h2>Across the fleet</h2>").table("fleet-groups", "Group", "");
			for (String group : groups) {
				page.raw("<tr data-group=\"").text(group).raw("\"><td>").text(group).raw("</td><td class=\"actions\">");
				groupButtons(page, null, group, null);
				page.raw("</td></tr>");
			}
			page.endTable();
		}
		if (!view.overrides().isEmpty()) {
			page.raw("<h2>Fleet overrides</h2>").table("overrides", "#", "Kind", "Scope", "Count", "By", "At");
			for (var o : view.overrides()) {
				page.row(o.seq(), o.kind(), o.scope(), (o.count() != null) ? o.count() : "", o.by(), o.at());
			}
			page.endTable();
		}
		if (!view.pausedQueues().isEmpty()) {
			page.raw("<p>Paused queues: ").text(String.join(", ", view.pausedQueues())).raw("</p>");
		}
		return ok(page);
	}

	private static void groupButtons(Page page, String pool, String group, Integer count) {
		page.button("pools", "Pause", Page.fields("op", "pause", "pool", pool, "group", group));
		page.button("pools", "Resume", Page.fields("op", "resume", "pool", pool, "group", group));
		page.form("pools", "Scale", Page.fields("op", "scale", "pool", pool, "group", group),
				"<input type=\"number\" name=\"count\" min=\"0\" required aria-label=\"workers\" value=\""
						+ ((count != null) ? count : "") + "\">");
	}

	@PostMapping("/pools")
	ResponseEntity<String> poolsAction(@RequestParam String op, @RequestParam(required = false) String pool,
			@RequestParam(required = false) String group,
			@RequestParam(name = "count", required = false) String countText, HttpServletRequest request) {
		FleetScope scope = new FleetScope(pool, group);
		Integer count = null;
		if ("scale".equals(op)) {
			String text = (countText != null) ? countText.strip() : "";
			// Digits within an int: never negative, a fraction or an exponent.
			if (!text.matches("[0-9]{1,10}") || Long.parseLong(text) > Integer.MAX_VALUE) {
				record(request, "fleet.scale", scope.toString(), "refused: count '" + text + "'");
				return badRequest(request, "The count must be a whole number of workers from 0 up to the pools' "
						+ "max-workers; '" + text + "' is not. Nothing was done.");
			}
			count = Integer.valueOf(text);
		}
		String by = principal(request);
		FleetResult result;
		try {
			result = switch (op) {
				case "pause" -> this.fleet.pause(scope, Duration.ZERO, by);
				case "resume" -> this.fleet.resume(scope, Duration.ZERO, by);
				case "scale" -> this.fleet.scale(scope, count, Duration.ZERO, by);
				default -> null;
			};
		}
		catch (IllegalArgumentException ex) {
			record(request, "fleet." + op, scope.toString(), "refused: " + ex.getMessage());
			return badRequest(request, ex.getMessage());
		}
		if (result == null) {
			return badRequest(request, "Unknown action " + op);
		}
		long id = this.ids.incrementAndGet();
		this.commands.put(id, new TrackedCommand(op, scope, count, result.seq(), result.version(), Instant.now(), by));
		record(request, "fleet." + op, scope.toString(),
				"stored as fleet command " + result.seq() + ((count != null) ? " (count " + count + ")" : ""));
		return redirect("command?id=" + id);
	}

	@GetMapping("/command")
	ResponseEntity<String> command(@RequestParam long id, HttpServletRequest request) {
		TrackedCommand command = this.commands.get(id);
		if (command == null) {
			return notFound(request, "No such command (the dashboard remembers its last " + MAX_REMEMBERED + ").");
		}
		Page page = page("Command", "Pools", request);
		page.raw("<h1>").text(command.describe()).raw("</h1><p>Fleet command ").text(command.seq());
		page.raw(" by ")
			.text(command.by())
			.raw(" at ")
			.text(command.at())
			.raw(". ")
			.link("pools", "Back to Pools")
			.raw("</p>");
		page.table("acks", "Pool", "Status", "Detail");
		for (FleetResult.PoolAck ack : acks(command)) {
			page.raw("<tr data-pool=\"").text(ack.id()).raw("\"><td>").text(ack.id());
			page.raw("</td><td class=\"status ").text(ack.status()).raw("\">").text(ack.status());
			page.raw("</td><td class=\"message\">").text(ack.message()).raw("</td></tr>");
		}
		page.endTable();
		page.raw("<p id=\"ack-poll\" data-source=\"command.json?id=").text(id).raw("\">Updating…</p>");
		return ok(page);
	}

	@GetMapping(path = "/command.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> commandJson(@RequestParam long id) {
		TrackedCommand command = this.commands.get(id);
		if (command == null) {
			return ResponseEntity.notFound().build();
		}
		StringBuilder json = new StringBuilder("{\"pools\":[");
		List<FleetResult.PoolAck> acks = acks(command);
		for (int i = 0; i < acks.size(); i++) {
			FleetResult.PoolAck a = acks.get(i);
			json.append((i > 0) ? "," : "")
				.append("{\"id\":")
				.append(jsonString(a.id()))
				.append(",\"status\":")
				.append(jsonString(a.status()))
				.append(",\"message\":")
				.append(jsonString(a.message()))
				.append('}');
		}
		json.append("],\"settled\":").append(acks.stream().noneMatch((a) -> a.status().equals("pending"))).append('}');
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.toString());
	}

	/**
	 * The acknowledgement of each pool in a command's scope, as the fleet API's write
	 * would give it: offline, pending, failed with the pool's reason, or applied.
	 */
	private List<FleetResult.PoolAck> acks(TrackedCommand command) {
		return this.fleet.acknowledgements(command.scope(), command.op(), command.count(), command.seq(),
				command.version());
	}

	record TrackedCommand(String op, FleetScope scope, Integer count, long seq, long version, Instant at, String by) {

		String describe() {
			String verb = Character.toUpperCase(this.op.charAt(0)) + this.op.substring(1);
			return verb + " " + this.scope + ((this.count != null) ? " to " + this.count : "");
		}

	}

	// ---- failed

	@GetMapping("/failed")
	ResponseEntity<String> failed(@RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "0") long from,
			HttpServletRequest request) {
		DashboardData.FailureFilter filter = new DashboardData.FailureFilter(queue, className, exception, text);
		int p = Math.max(0, page);
		long start = Math.max(0, from);
		DashboardData.FailurePage result = this.data.failures(filter, p, this.settings.pageSize(), start,
				this.settings.failedScanLimit());
		Page html = page("Failed", request);
		html.heading("Failed");
		html.raw("<form class=\"filter\" method=\"get\" action=\"failed\">");
		filterInput(html, "queue", "Queue", filter.queue());
		filterInput(html, "class", "Class", filter.className());
		filterInput(html, "exception", "Exception", filter.exception());
		filterInput(html, "q", "Text", filter.text());
		html.raw("<button type=\"submit\">Filter</button> ").link("failed", "Reset").raw("</form>");
		String filterQuery = filterQuery(filter);
		if (filter.isEmpty()) {
			html.raw("<p id=\"summary\">").text(result.total()).raw(" failures.</p>");
		}
		else {
			long scannedTo = result.scanFrom() + result.scanned();
			html.raw("<p id=\"summary\">").text(result.matches()).raw(" matches; scanned ").text(result.scanned());
			html.raw(" of ")
				.text(result.total())
				.raw(" (entries ")
				.text(result.scanFrom())
				.raw("–")
				.text(Math.max(result.scanFrom(), scannedTo - 1))
				.raw(").");
			if (scannedTo < result.total()) {
				html.raw(" ").link("failed?" + filterQuery + "from=" + scannedTo, "Scan the next entries");
			}
			html.raw("</p>");
			if (!this.settings.readOnly()) {
				// The bulk preview scans the window shown here.
				String window = (result.scanFrom() > 0) ? "from=" + result.scanFrom() : "";
				html.raw("<p class=\"bulk\">").link("bulk?op=retry&" + filterQuery + window, "Retry all matches…");
				html.raw(" ").link("bulk?op=remove&" + filterQuery + window, "Remove all matches…").raw("</p>");
			}
		}
		html.table("failures", "#", "Failed at", "Queue", "Class", "Exception", "Error", "");
		for (DashboardData.Failure f : result.entries()) {
			var r = f.record();
			html.raw("<tr data-index=\"").text(f.index()).raw("\"><td>").text(f.index()).raw("</td><td>");
			html.text(r.failedAt()).raw("</td><td>").text(r.queue()).raw("</td><td class=\"class\">");
			html.text(r.jobClass().orElse("")).raw("</td><td class=\"exception\">").text(r.exception());
			html.raw("</td><td><details><summary class=\"error\">").text(r.error()).raw("</summary>");
			html.raw("<pre class=\"payload\">")
				.text(r.payload())
				.raw("</pre><pre class=\"backtrace\">")
				.text(String.join("\n", r.backtrace()))
				.raw("</pre>");
			html.raw("<p>Worker ")
				.text(r.worker())
				.raw((r.retriedAt() != null) ? "; retried at " : "")
				.text(r.retriedAt())
				.raw("</p></details></td><td class=\"actions\">");
			Map<String, Object> fields = Page.fields("index", f.index(), "digest", f.digest(), "back",
					"failed?" + filterQuery + "page=" + p + "&from=" + start);
			html.button("failed", "Retry", withOp(fields, "retry"));
			html.button("failed", "Remove", withOp(fields, "remove"));
			html.raw("</td></tr>");
		}
		if (result.entries().isEmpty()) {
			html.raw("<tr><td colspan=\"7\">No failures here.</td></tr>");
		}
		html.endTable();
		long shown = filter.isEmpty() ? result.total() : result.matches();
		pager(html, "failed?" + filterQuery + "from=" + result.scanFrom() + "&", p,
				((long) p + 1) * this.settings.pageSize() < shown);
		return ok(html);
	}

	private static Map<String, Object> withOp(Map<String, Object> fields, String op) {
		Map<String, Object> copy = new LinkedHashMap<>();
		copy.put("op", op);
		copy.putAll(fields);
		return copy;
	}

	private static void filterInput(Page page, String name, String label, String value) {
		page.raw("<label>")
			.text(label)
			.raw(" <input type=\"text\" name=\"")
			.raw(name)
			.raw("\" value=\"")
			.text(value)
			.raw("\"></label> ");
	}

	private static String filterQuery(DashboardData.FailureFilter filter) {
		StringBuilder q = new StringBuilder();
		if (filter.queue() != null) {
			q.append("queue=").append(Html.param(filter.queue())).append('&');
		}
		if (filter.className() != null) {
			q.append("class=").append(Html.param(filter.className())).append('&');
		}
		if (filter.exception() != null) {
			q.append("exception=").append(Html.param(filter.exception())).append('&');
		}
		if (filter.text() != null) {
			q.append("q=").append(Html.param(filter.text())).append('&');
		}
		return q.toString();
	}

	@PostMapping("/failed")
	ResponseEntity<String> failedAction(@RequestParam String op, @RequestParam long index, @RequestParam String digest,
			@RequestParam(defaultValue = "failed") String back, HttpServletRequest request) {
		String location = back.startsWith("failed") ? back : "failed";
		if (index < 0) {
			return badRequest(request, "A failure's index is 0 or more; " + index + " is not. Nothing was done.");
		}
		var current = this.data.failure(index);
		if (current.isEmpty() || !current.get().digest().equals(digest)) {
			record(request, "failed." + op, "failure " + index, "refused: the entry changed");
			return conflict(request, "The failure at index " + index
					+ " is no longer the one shown (it was removed or the list changed). Nothing was done.");
		}
		DashboardData.Failure failure = current.get();
		String what = "failure " + index + " (" + failure.record().jobClass().orElse("?") + " on "
				+ failure.record().queue() + ")";
		try {
			boolean ok = switch (op) {
				case "retry" -> this.data.retry(failure);
				case "remove" -> this.data.remove(failure);
				default -> throw new IllegalArgumentException("Unknown action " + op);
			};
			if (!ok) {
				record(request, "failed." + op, what, "refused: the entry changed");
				return conflict(request, "The failure at index " + index + " changed meanwhile. Nothing was done.");
			}
		}
		catch (IllegalArgumentException ex) {
			record(request, "failed." + op, what, "refused: " + ex.getMessage());
			return badRequest(request, ex.getMessage());
		}
		return done(request, "failed." + op, what, op.equals("retry") ? "retried" : "removed", location);
	}

	@GetMapping("/bulk")
	ResponseEntity<String> bulkPreview(@RequestParam String op, @RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") long from, HttpServletRequest request) {
		if (this.settings.readOnly()) {
			// The preview leads to an action only: none in read-only mode, nor its scan.
			return problem(request, HttpStatus.FORBIDDEN, "The dashboard is read-only",
					"Set resque.web.read-only=false to allow actions.");
		}
		if (!op.equals("retry") && !op.equals("remove")) {
			return badRequest(request, "Unknown action " + op);
		}
		DashboardData.FailureFilter filter = new DashboardData.FailureFilter(queue, className, exception, text);
		if (filter.isEmpty()) {
			return badRequest(request, "A bulk action needs a filter.");
		}
		long start = Math.max(0, from);
		DashboardData.Window window = this.data.scanWindow(filter, start, this.settings.failedScanLimit(), 0);
		long matches = window.matches();
		long acted = Math.min(matches, this.settings.bulkLimit());
		String verb = op.equals("retry") ? "Retry" : "Remove";
		String phrase = op + " " + acted;
		Page page = page(verb + " matches", "Failed", request);
		page.raw("<h1>").text(verb).raw(" every match</h1><p id=\"preview\">").text(matches);
		page.raw(" failures match ").text(describe(filter));
		if (window.to() > window.from()) {
			page.raw(" in entries ").text(window.from()).raw("–").text(window.to() - 1);
		}
		else {
			page.raw(" in no entries from ").text(window.from());
		}
		page.raw(" of ").text(window.total()).raw(".</p>");
		if (window.more()) {
			page.raw("<p id=\"beyond\" class=\"warn\">One preview scans at most ")
				.text(this.settings.failedScanLimit())
				.raw(" entries (<code>resque.web.failed-scan-limit</code>), and more entries lie beyond these: ")
				.link("bulk?op=" + op + "&" + filterQuery(filter) + "from=" + window.to(), "preview the next ones")
				.raw(".</p>");
		}
		if (acted < matches) {
			page.raw("<p id=\"bulk-limit\" class=\"warn\">One action takes at most ")
				.text(this.settings.bulkLimit())
				.raw(" (<code>resque.web.bulk-limit</code>): this one ")
				.text(op.equals("retry") ? "retries" : "removes")
				.raw(" the first ")
				.text(acted)
				.raw(" and leaves ")
				.text(matches - acted)
				.raw(" for the next round.</p>");
		}
		if (matches > 0) {
			page.raw("<p>Type <code>").text(phrase).raw("</code> to confirm.</p>");
			page.form("bulk", verb,
					Page.fields("op", op, "queue", filter.queue(), "class", filter.className(), "exception",
							filter.exception(), "q", filter.text(), "from", (start > 0) ? start : null, "expected",
							matches),
					"<label>Confirmation <input type=\"text\" name=\"confirm\" autocomplete=\"off\" required></label> ");
		}
		page.raw("<p>").link("failed?" + filterQuery(filter), "Back to Failed").raw("</p>");
		return ok(page);
	}

	@PostMapping("/bulk")
	ResponseEntity<String> bulk(@RequestParam String op, @RequestParam(required = false) String queue,
			@RequestParam(name = "class", required = false) String className,
			@RequestParam(required = false) String exception, @RequestParam(name = "q", required = false) String text,
			@RequestParam(defaultValue = "0") long from, @RequestParam long expected,
			@RequestParam(defaultValue = "") String confirm, HttpServletRequest request) {
		DashboardData.FailureFilter filter = new DashboardData.FailureFilter(queue, className, exception, text);
		if (filter.isEmpty() || (!op.equals("retry") && !op.equals("remove"))) {
			return badRequest(request, "A bulk action needs retry or remove and a filter.");
		}
		String target = "failures matching " + describe(filter);
		long start = Math.max(0, from);
		long phraseCount = Math.min(expected, this.settings.bulkLimit());
		if (!confirm.strip().equals(op + " " + phraseCount)) {
			record(request, "failed.bulk-" + op, target, "refused: confirmation did not match");
			return badRequest(request,
					"The confirmation did not read \"" + op + " " + phraseCount + "\". Nothing was done.");
		}
		// The preview's window, of which only the first matches up to the limit are kept.
		DashboardData.Window window = this.data.scanWindow(filter, start, this.settings.failedScanLimit(),
				this.settings.bulkLimit());
		if (window.matches() != expected) {
			record(request, "failed.bulk-" + op, target,
					"refused: " + window.matches() + " match now, not " + expected);
			return conflict(request, window.matches() + " failures match now, not " + expected
					+ " as previewed. Nothing was done; preview again.");
		}
		List<DashboardData.Failure> batch = window.kept();
		long left = window.matches() - batch.size();
		int doneCount = 0;
		int skipped = 0;
		// From the highest index down, so a remove never shifts an entry still to come.
		for (int i = batch.size() - 1; i >= 0; i--) {
			DashboardData.Failure f = batch.get(i);
			try {
				boolean ok = op.equals("retry") ? this.data.retry(f) : this.data.remove(f);
				if (ok) {
					doneCount++;
				}
				else {
					skipped++;
				}
			}
			catch (IllegalArgumentException ex) {
				skipped++;
			}
		}
		String outcome = (op.equals("retry") ? "retried " : "removed ") + doneCount
				+ ((skipped > 0) ? ", skipped " + skipped + " that changed or cannot be retried" : "");
		if (left == 0 && !window.more()) {
			return done(request, "failed.bulk-" + op, target, outcome, "failed?" + filterQuery(filter));
		}
		long next;
		String rest;
		if (left > 0) {
			// Retried entries stay (marked), so the next round starts after them;
			// removed ones are gone, so a remove starts where it did.
			next = op.equals("retry") ? batch.get(batch.size() - 1).index() + 1 : start;
			rest = " of " + window.matches() + " matches; " + left + " left, as one action takes at most "
					+ this.settings.bulkLimit() + " (resque.web.bulk-limit): confirm the next round below";
		}
		else {
			// Every match of this window done: the next window, moved back by what was
			// removed before it.
			next = op.equals("retry") ? window.to() : window.to() - doneCount;
			rest = "; more entries lie beyond the " + this.settings.failedScanLimit()
					+ " scanned (resque.web.failed-scan-limit): confirm the next round below";
		}
		return done(request, "failed.bulk-" + op, target, outcome + rest,
				("bulk?op=" + op + "&" + filterQuery(filter) + ((next > 0) ? "from=" + next : "")).replaceFirst("&$",
						""));
	}

	private static String describe(DashboardData.FailureFilter filter) {
		List<String> parts = new ArrayList<>();
		if (filter.queue() != null) {
			parts.add("queue " + filter.queue());
		}
		if (filter.className() != null) {
			parts.add("class " + filter.className());
		}
		if (filter.exception() != null) {
			parts.add("exception " + filter.exception());
		}
		if (filter.text() != null) {
			parts.add("text \"" + filter.text() + "\"");
		}
		return String.join(", ", parts);
	}

	// ---- delayed and schedule

	@GetMapping("/delayed")
	ResponseEntity<String> delayed(@RequestParam(defaultValue = "0") int page, HttpServletRequest request) {
		int size = this.settings.pageSize();
		int p = Math.max(0, page);
		long buckets = this.data.delayedBuckets();
		Page html = page("Delayed", request);
		html.heading("Delayed").raw("<p>").text(buckets).raw(" seconds hold delayed jobs.</p>");
		html.table("delayed", "Due", "Jobs", "Class", "Arguments", "Queue", "");
		for (DashboardData.DelayedBucket bucket : this.data.delayed((long) p * size, size, 10)) {
			for (DashboardData.Job job : bucket.items()) {
				String queue = queueOf(job.raw());
				html.raw("<tr><td>").text(bucket.due()).raw("</td><td>").text(bucket.size()).raw("</td><td>");
				html.text(job.className()).raw("</td><td>").text(job.args()).raw("</td><td>").text(queue);
				html.raw("</td><td class=\"actions\">");
				Map<String, Object> fields = Page.fields("second", bucket.second(), "item", job.raw());
				html.button("delayed", "Enqueue now", withOp(fields, "enqueue"));
				html.button("delayed", "Delete", withOp(fields, "delete"));
				html.raw("</td></tr>");
			}
			if (bucket.size() > bucket.items().size()) {
				html.raw("<tr><td colspan=\"6\">… and ")
					.text(bucket.size() - bucket.items().size())
					.raw(" more due then</td></tr>");
			}
		}
		if (buckets == 0) {
			html.raw("<tr><td colspan=\"6\">No delayed jobs.</td></tr>");
		}
		html.endTable();
		pager(html, "delayed?", p, ((long) p + 1) * size < buckets);
		return ok(html);
	}

	private static String queueOf(String item) {
		try {
			return tools.jackson.databind.json.JsonMapper.builder().build().readTree(item).path("queue").asString("");
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	@PostMapping("/delayed")
	ResponseEntity<String> delayedAction(@RequestParam String op, @RequestParam long second, @RequestParam String item,
			HttpServletRequest request) {
		if (!this.data.delayedHolds(second, item)) {
			record(request, "delayed." + op, "delayed job at " + Instant.ofEpochSecond(second), "refused: gone");
			return conflict(request, "That delayed job is no longer due at " + Instant.ofEpochSecond(second)
					+ " (it ran or was deleted). Nothing was done.");
		}
		DashboardData.Job job = DashboardData.job(0, item);
		String what = "delayed " + job.className() + " due " + Instant.ofEpochSecond(second);
		try {
			return switch (op) {
				case "enqueue" -> done(request, "delayed.enqueue", what,
						"enqueued " + this.data.enqueueDelayedNow(item) + " jobs now", "delayed");
				case "delete" -> done(request, "delayed.delete", what,
						"deleted " + this.data.deleteDelayed(item) + " copies", "delayed");
				default -> badRequest(request, "Unknown action " + op);
			};
		}
		catch (RuntimeException ex) {
			record(request, "delayed." + op, what, "refused: " + ex.getMessage());
			return badRequest(request, String.valueOf(ex.getMessage()));
		}
	}

	@GetMapping("/schedule")
	ResponseEntity<String> schedule(HttpServletRequest request) {
		ResqueRedis redis = this.data.redis();
		Map<String, String> persisted = redis.schedules().persisted();
		ResqueScheduler scheduler = this.scheduler.get();
		Set<String> names = new TreeSet<>(persisted.keySet());
		if (scheduler != null) {
			names.addAll(scheduler.schedules().names());
		}
		Page page = page("Schedule", request);
		page.heading("Schedule");
		if (scheduler != null) {
			var status = scheduler.status();
			page.raw("<p>Master lock: ")
				.text((status.holder() != null) ? status.holder() : "nobody")
				.text(status.master() ? " (this process)" : "")
				.raw(". ")
				.text(status.delayedItems())
				.raw(" delayed jobs.</p>");
		}
		page.table("schedule", "Name", "When", "Class", "Queue", "Arguments", "Next", "Last enqueued", "");
		for (String name : names) {
			String config = persisted.get(name);
			ScheduleEntry entry = null;
			if (config != null) {
				try {
					entry = ScheduleEntry.fromJson(name, config);
				}
				catch (RuntimeException ex) {
					// shown raw below
				}
			}
			Instant next = (scheduler != null) ? scheduler.schedules().nextFiring(name) : null;
			page.raw("<tr><td>").text(name).raw("</td><td>");
			if (entry != null) {
				page.text((entry.cronText() != null) ? "cron " + entry.cronText() : "every " + entry.everyJson());
				page.raw("</td><td>").text(entry.className()).raw("</td><td>").text(entry.queue()).raw("</td><td>");
				page.text(entry.argsJson());
			}
			else {
				page.text((config != null) ? config : "configured in this process").raw("</td><td></td><td></td><td>");
			}
			page.raw("</td><td>")
				.text((next != null) ? next : "")
				.raw("</td><td>")
				.text(redis.schedules().lastEnqueuedAt(name));
			page.raw("</td><td class=\"actions\">");
			if (entry != null) {
				page.button("schedule", "Enqueue now", Page.fields("op", "enqueue", "name", name));
				page.button("schedule", "Delete", Page.fields("op", "delete", "name", name));
			}
			page.raw("</td></tr>");
		}
		if (names.isEmpty()) {
			page.raw("<tr><td colspan=\"8\">No recurring schedules.</td></tr>");
		}
		return ok(page.endTable());
	}

	@PostMapping("/schedule")
	ResponseEntity<String> scheduleAction(@RequestParam String op, @RequestParam String name,
			HttpServletRequest request) {
		ResqueRedis redis = this.data.redis();
		String config = redis.schedules().persisted().get(name);
		if (config == null) {
			return notFound(request, "No persisted schedule named " + name + ".");
		}
		switch (op) {
			case "enqueue" -> {
				ScheduleEntry entry;
				try {
					entry = ScheduleEntry.fromJson(name, config);
				}
				catch (RuntimeException ex) {
					return badRequest(request, "The schedule cannot be read: " + ex.getMessage());
				}
				redis.jobs().enqueue(entry.queue(), entry.payload());
				return done(request, "schedule.enqueue", "schedule '" + name + "'",
						"enqueued " + entry.className() + " on " + entry.queue(), "schedule");
			}
			case "delete" -> {
				redis.schedules().remove(name);
				return done(request, "schedule.delete", "schedule '" + name + "'", "deleted", "schedule");
			}
			default -> {
				return badRequest(request, "Unknown action " + op);
			}
		}
	}

	// ---- stats

	@GetMapping("/stats")
	ResponseEntity<String> stats(HttpServletRequest request) {
		DashboardData.Totals t = this.data.totals();
		Page page = page("Stats", request);
		page.heading("Stats").raw("<h2>Resque</h2>").table("resque-stats", "Stat", "Value");
		page.row("processed", t.processed()).row("failed (stat:failed)", t.failedStat());
		page.row("failed (entries)", t.failures()).row("queues", t.queues()).row("pending", t.queued());
		page.row("working", t.working()).row("workers", t.workers()).row("pools", t.pools());
		page.row("namespace", this.data.redis().keys().namespace()).endTable();
		page.raw("<h2>Redis</h2>").table("redis-info", "INFO field", "Value");
		new TreeMap<>(this.data.redisInfo()).forEach(page::row);
		return ok(page.endTable());
	}

	// ---- plumbing

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class })
	ResponseEntity<String> badParameter(Exception ex, HttpServletRequest request) {
		String message = (ex instanceof MethodArgumentTypeMismatchException mismatch)
				? "The parameter '" + mismatch.getName() + "' cannot be '" + mismatch.getValue()
						+ "': it takes a whole number in range."
				: "The parameter '" + ((MissingServletRequestParameterException) ex).getParameterName()
						+ "' is missing.";
		return badRequest(request, message + " Nothing was done.");
	}

	private Page page(String title, HttpServletRequest request) {
		return page(title, title, request);
	}

	private Page page(String title, String active, HttpServletRequest request) {
		String notice = null;
		String noticeId = request.getParameter("notice");
		if (noticeId != null) {
			notice = this.notices.get(noticeId);
		}
		String csrfParameter = null;
		String csrfToken = null;
		Object token = request.getAttribute("_csrf");
		if (token != null && CSRF_PRESENT) {
			String[] fields = CsrfFields.of(token);
			if (fields != null) {
				csrfParameter = fields[0];
				csrfToken = fields[1];
			}
		}
		return new Page(title, active,
				new Page.RenderContext(this.settings.application(), this.settings.redis(), this.settings.readOnly(),
						principal(request), csrfParameter, csrfToken, this.settings.actuatorLinks(), notice));
	}

	private static ResponseEntity<String> ok(Page page) {
		return ResponseEntity.ok().contentType(HTML).body(page.render());
	}

	private ResponseEntity<String> done(HttpServletRequest request, String action, String target, String outcome,
			String location) {
		record(request, action, target, outcome);
		String id = Long.toString(this.ids.incrementAndGet(), 36) + Long.toString(System.nanoTime() & 0xffffff, 36);
		this.notices.put(id, capitalize(target) + ": " + outcome + ".");
		return redirect(location + (location.contains("?") ? "&" : "?") + "notice=" + id);
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static ResponseEntity<String> redirect(String location) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).build();
	}

	private void record(HttpServletRequest request, String action, String target, String outcome) {
		String principal = principal(request);
		logger.info("Resque dashboard: " + action + " of " + target + " by " + principal + ": " + outcome);
		this.events.publishEvent(new ResqueWebActionEvent(this, action, target, principal, outcome));
	}

	private static String principal(HttpServletRequest request) {
		java.security.Principal principal = request.getUserPrincipal();
		if (principal == null && request
			.getAttribute(ResqueWebFilter.ADMITTED_ATTRIBUTE) instanceof java.security.Principal admitted) {
			// Admitted by the interceptor with Basic: the request itself names no user.
			principal = admitted;
		}
		return (principal != null) ? principal.getName() : null;
	}

	private ResponseEntity<String> badRequest(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.BAD_REQUEST, "Not done", message);
	}

	private ResponseEntity<String> conflict(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.CONFLICT, "Changed meanwhile", message);
	}

	private ResponseEntity<String> notFound(HttpServletRequest request, String message) {
		return problem(request, HttpStatus.NOT_FOUND, "Not found", message);
	}

	private ResponseEntity<String> problem(HttpServletRequest request, HttpStatus status, String title,
			String message) {
		Page page = page(title, "", request);
		page.heading(title).raw("<p class=\"problem\">").text(message).raw("</p>");
		return ResponseEntity.status(status).contentType(HTML).body(page.render());
	}

	private static void pager(Page page, String base, int current, boolean more) {
		page.raw("<nav class=\"pager\" aria-label=\"pages\">");
		if (current > 0) {
			page.link(base + "page=" + (current - 1), "‹ Previous");
		}
		page.raw("<span>Page ").text((long) current + 1).raw("</span>");
		if (more && current < Integer.MAX_VALUE) {
			page.link(base + "page=" + (current + 1), "Next ›");
		}
		page.raw("</nav>");
	}

	static String duration(Long millis) {
		if (millis == null) {
			return "—";
		}
		long s = millis / 1000;
		if (s < 60) {
			return (millis < 10_000) ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0) : s + " s";
		}
		if (s < 3600) {
			return (s / 60) + " min " + (s % 60) + " s";
		}
		if (s < 86400) {
			return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
		}
		return (s / 86400) + " d " + ((s % 86400) / 3600) + " h";
	}

	private static String jsonString(String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '<' -> out.append("\\u003c");
				case '>' -> out.append("\\u003e");
				case '&' -> out.append("\\u0026");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** A map that forgets its oldest entries. */
	private static final class Bounded<K, V> extends LinkedHashMap<K, V> {

		@Override
		protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
			return size() > MAX_REMEMBERED;
		}

	}

}
