package io.github.resquepool.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.scheduler.ResqueScheduler;
import io.github.resquepool.scheduler.ScheduleEntry;

/**
 * resque-scheduler's recurring schedules, persisted in Redis or configured in this
 * process, and enqueueing one now or deleting a persisted one.
 */
@ResqueWebController
public class ScheduleController {

	private final DashboardData data;

	private final Supplier<ResqueScheduler> scheduler;

	private final DashboardPages pages;

	/**
	 * Creates the controller.
	 * @param data the reader
	 * @param scheduler the pool's scheduler, or a supplier of {@code null}
	 * @param pages the pages
	 */
	public ScheduleController(DashboardData data, Supplier<ResqueScheduler> scheduler, DashboardPages pages) {
		this.data = data;
		this.scheduler = scheduler;
		this.pages = pages;
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
		List<Row> rows = new ArrayList<>();
		for (String name : names) {
			String config = persisted.get(name);
			ScheduleEntry entry = parse(name, config);
			Instant next = (scheduler != null) ? scheduler.schedules().nextFiring(name) : null;
			String lastEnqueued = redis.schedules().lastEnqueuedAt(name);
			rows.add(
					(entry != null)
							? new Row(name, entry,
									(entry.cronText() != null) ? "cron " + entry.cronText()
											: "every " + entry.everyJson(),
									null, next, lastEnqueued,
									Form.of("schedule", "Enqueue now", "op", "enqueue", "name", name),
									Form.of("schedule", "Delete", "op", "delete", "name", name))
							: new Row(name, null, null, (config != null) ? config : "configured in this process", next,
									lastEnqueued, null, null));
		}
		Lock lock = null;
		if (scheduler != null) {
			var status = scheduler.status();
			lock = new Lock((status.holder() != null) ? status.holder() : "nobody", status.master(),
					status.delayedItems());
		}
		return this.pages.page(request, "schedule", "Schedule", "Schedule", new Schedule(lock, rows));
	}

	private static ScheduleEntry parse(String name, String config) {
		if (config == null) {
			return null;
		}
		try {
			return ScheduleEntry.fromJson(name, config);
		}
		catch (RuntimeException ex) {
			// Shown raw instead.
			return null;
		}
	}

	@PostMapping("/schedule")
	ResponseEntity<String> scheduleAction(@RequestParam String op, @RequestParam String name,
			HttpServletRequest request) {
		ResqueRedis redis = this.data.redis();
		String config = redis.schedules().persisted().get(name);
		if (config == null) {
			return this.pages.notFound(request, "No persisted schedule named " + name + ".");
		}
		String target = "schedule '" + name + "'";
		switch (op) {
			case "enqueue" -> {
				ScheduleEntry entry;
				try {
					entry = ScheduleEntry.fromJson(name, config);
				}
				catch (RuntimeException ex) {
					return this.pages.badRequest(request, "The schedule cannot be read: " + ex.getMessage());
				}
				redis.jobs().enqueue(entry.queue(), entry.payload());
				return this.pages.done(request, "schedule.enqueue", target,
						"enqueued " + entry.className() + " on " + entry.queue(), "schedule");
			}
			case "delete" -> {
				redis.schedules().remove(name);
				return this.pages.done(request, "schedule.delete", target, "deleted", "schedule");
			}
			default -> {
				return this.pages.badRequest(request, "Unknown action " + op);
			}
		}
	}

	record Schedule(Lock lock, List<Row> rows) {
	}

	record Lock(String holder, boolean master, long delayedItems) {
	}

	/**
	 * One schedule: its entry when it reads as one, else its raw text.
	 */
	record Row(String name, ScheduleEntry entry, String when, String raw, Instant next, String lastEnqueued,
			Form enqueue, Form delete) {
	}

}
