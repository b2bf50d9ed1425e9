package io.github.resquepool.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.resquepool.dashboard.TrackedCommands.TrackedCommand;
import io.github.resquepool.fleet.FleetOverride;
import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.fleet.ResqueFleet;

/**
 * The pools of the fleet, their groups, the fleet commands (pause, resume, scale) and the
 * page that follows each command's acknowledgements.
 */
@ResqueWebController
public class PoolsController {

	private final ResqueFleet fleet;

	private final DashboardPages pages;

	private final TrackedCommands commands;

	/**
	 * Creates the controller.
	 * @param fleet the fleet control
	 * @param pages the pages
	 */
	public PoolsController(ResqueFleet fleet, DashboardPages pages) {
		this.fleet = fleet;
		this.pages = pages;
		this.commands = new TrackedCommands(fleet);
	}

	@GetMapping("/pools")
	ResponseEntity<String> pools(HttpServletRequest request) {
		FleetView view = this.fleet.view();
		List<Row> rows = new ArrayList<>();
		Set<String> groups = new TreeSet<>();
		for (FleetView.Pool pool : view.pools()) {
			String label = pool.id() + (pool.online() ? "" : " (offline)");
			if (pool.groups().isEmpty()) {
				rows.add(new Row(pool.id(), label, null, pool.state(), null));
			}
			for (FleetView.Group group : pool.groups()) {
				groups.add(group.name());
				rows.add(new Row(pool.id(), label, group, group.state(),
						buttons(pool.id(), group.name(), group.count())));
			}
		}
		List<Row> fleetGroups = groups.stream()
			.map((name) -> new Row(null, name, null, null, buttons(null, name, null)))
			.toList();
		String paused = String.join(", ", view.pausedQueues());
		return this.pages.page(request, "pools", "Pools", "Pools",
				new Pools(rows, fleetGroups, view.overrides(), paused));
	}

	private static Buttons buttons(String pool, String group, Integer count) {
		return new Buttons(Form.of("pools", "Pause", "op", "pause", "pool", pool, "group", group),
				Form.of("pools", "Resume", "op", "resume", "pool", pool, "group", group),
				Form.of("pools", "Scale", "op", "scale", "pool", pool, "group", group), count);
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
				this.pages.record(request, "fleet.scale", scope.toString(), "refused: count '" + text + "'");
				return this.pages.badRequest(request, "The count must be a whole number of workers from 0 up to the "
						+ "pools' max-workers; '" + text + "' is not. Nothing was done.");
			}
			count = Integer.valueOf(text);
		}
		String by = DashboardPages.principal(request);
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
			this.pages.record(request, "fleet." + op, scope.toString(), "refused: " + ex.getMessage());
			return this.pages.badRequest(request, ex.getMessage());
		}
		if (result == null) {
			return this.pages.badRequest(request, "Unknown action " + op);
		}
		long id = this.commands
			.track(new TrackedCommand(op, scope, count, result.seq(), result.version(), Instant.now(), by));
		this.pages.record(request, "fleet." + op, scope.toString(),
				"stored as fleet command " + result.seq() + ((count != null) ? " (count " + count + ")" : ""));
		return DashboardPages.redirect("command?id=" + id);
	}

	@GetMapping("/command")
	ResponseEntity<String> command(@RequestParam long id, HttpServletRequest request) {
		TrackedCommand command = this.commands.get(id);
		if (command == null) {
			return this.pages.notFound(request,
					"No such command (the dashboard remembers its last " + DashboardPages.MAX_REMEMBERED + ").");
		}
		return this.pages.page(request, "command", "Command", "Pools",
				new Command(command.describe(), command, this.commands.acks(command), "command.json?id=" + id));
	}

	@GetMapping(path = "/command.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> commandJson(@RequestParam long id) {
		TrackedCommand command = this.commands.get(id);
		if (command == null) {
			return ResponseEntity.notFound().build();
		}
		List<FleetResult.PoolAck> acks = this.commands.acks(command);
		return DashboardPages.json(new CommandJson(acks, acks.stream().noneMatch((a) -> a.status().equals("pending"))));
	}

	record Pools(List<Row> rows, List<Row> fleetGroups, List<FleetOverride> overrides, String pausedQueues) {

		boolean anyFleetGroup() {
			return !this.fleetGroups.isEmpty();
		}

		boolean anyOverride() {
			return !this.overrides.isEmpty();
		}

	}

	record Row(String pool, String label, FleetView.Group group, String state, Buttons buttons) {
	}

	record Buttons(Form pause, Form resume, Form scale, Integer count) {
	}

	record Command(String heading, TrackedCommand command, List<FleetResult.PoolAck> acks, String source) {
	}

	/**
	 * What the command page polls.
	 *
	 * @param pools each pool's acknowledgement
	 * @param settled whether no pool is pending any more
	 */
	record CommandJson(List<FleetResult.PoolAck> pools, boolean settled) {
	}

}
