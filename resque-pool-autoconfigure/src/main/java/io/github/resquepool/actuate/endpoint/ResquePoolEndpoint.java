package io.github.resquepool.actuate.endpoint;

import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.github.resquepool.outbox.OutboxView;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.ReloadResult;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.scheduler.ResqueScheduler;

/**
 * The {@code resquepool} endpoint: reads the state of the {@link ResquePool}, and pauses,
 * resumes, scales or reloads it. Its default access is read-only, so the write operations
 * are an explicit opt-in ({@code management.endpoint.resquepool.access=unrestricted}).
 * <p>
 * Over JMX the write is the {@code perform} operation with {@code action}, {@code group}
 * and {@code count}; over HTTP it is {@code POST /actuator/resquepool/{action}}, see
 * {@link ResquePoolEndpointWebExtension}. A bad request changes nothing and answers a
 * {@link ResquePoolActionDescriptor} that is not
 * {@linkplain ResquePoolActionDescriptor#applied() applied}, with the reason. Every write
 * is logged with what it changed.
 */
@Endpoint(id = ResquePoolEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class ResquePoolEndpoint {

	/** The endpoint's id. */
	public static final String ID = "resquepool";

	private static final Log logger = LogFactory.getLog(ResquePoolEndpoint.class);

	private final ResquePool pool;

	private final boolean showArgs;

	private final @Nullable ResqueScheduler scheduler;

	private final @Nullable Supplier<OutboxView> outbox;

	/**
	 * Creates the endpoint.
	 * @param pool the pool
	 * @param showArgs whether running jobs show their arguments, which may hold personal
	 * data
	 */
	public ResquePoolEndpoint(ResquePool pool, boolean showArgs) {
		this(pool, showArgs, null);
	}

	/**
	 * Creates the endpoint, also showing the pool's resque-scheduler.
	 * @param pool the pool
	 * @param showArgs whether running jobs show their arguments, which may hold personal
	 * data
	 * @param scheduler the scheduler, or {@code null} when it is off
	 */
	public ResquePoolEndpoint(ResquePool pool, boolean showArgs, @Nullable ResqueScheduler scheduler) {
		this(pool, showArgs, scheduler, null);
	}

	/**
	 * Creates the endpoint, also showing the pool's resque-scheduler and the
	 * transactional outbox's backlog.
	 * @param pool the pool
	 * @param showArgs whether running jobs show their arguments, which may hold personal
	 * data
	 * @param scheduler the scheduler, or {@code null} when it is off
	 * @param outbox what the outbox's thread counted last, or {@code null} when the
	 * outbox is off
	 */
	public ResquePoolEndpoint(ResquePool pool, boolean showArgs, @Nullable ResqueScheduler scheduler,
			@Nullable Supplier<OutboxView> outbox) {
		this.pool = pool;
		this.showArgs = showArgs;
		this.scheduler = scheduler;
		this.outbox = outbox;
	}

	/**
	 * Describes the pool as it is now, without a Redis call.
	 * @return the pool's state, groups, workers and totals, its scheduler's lock and
	 * delayed queue as the scheduler's loop last saw them, and the outbox's backlog as
	 * its thread counted it last (no database call)
	 */
	@ReadOperation
	public ResquePoolDescriptor pool() {
		return ResquePoolDescriptor.of(this.pool.status(), this.showArgs,
				(this.scheduler != null) ? this.scheduler.view() : null,
				(this.outbox != null) ? this.outbox.get() : null);
	}

	/**
	 * Pauses, resumes, scales or reloads the pool. Returns once the change is requested;
	 * see {@link ResquePool} for when each takes effect.
	 * @param action {@code pause}, {@code resume}, {@code scale} or {@code reload}
	 * @param group the group to pause, resume or scale; {@code null} pauses or resumes
	 * the whole pool, and scales the only group when there is one
	 * @param count the new number of workers, for {@code scale} only
	 * @return what changed, or why nothing did
	 */
	@WriteOperation
	public ResquePoolActionDescriptor perform(@Selector String action, @Nullable String group,
			@Nullable Integer count) {
		ResquePoolActionDescriptor result = switch (action) {
			case "pause" -> pauseOrResume(action, group, count, true);
			case "resume" -> pauseOrResume(action, group, count, false);
			case "scale" -> scale(group, count);
			case "reload" -> reload(group, count);
			default -> ResquePoolActionDescriptor.refused(action, group,
					"unknown action '" + action + "'; use pause, resume, scale or reload");
		};
		log(result);
		return result;
	}

	private ResquePoolActionDescriptor pauseOrResume(String action, @Nullable String group, @Nullable Integer count,
			boolean pause) {
		if (count != null) {
			return ResquePoolActionDescriptor.refused(action, group,
					action + " takes no count; use scale to change the number of workers");
		}
		String verb = pause ? "paused" : "resumed";
		if (group == null) {
			if (pause) {
				this.pool.pause();
			}
			else {
				this.pool.resume();
			}
			return ResquePoolActionDescriptor.applied(action, null, List.of(verb + " the pool"));
		}
		try {
			if (pause) {
				this.pool.pause(group);
			}
			else {
				this.pool.resume(group);
			}
			return ResquePoolActionDescriptor.applied(action, group, List.of(verb + " group '" + group + "'"));
		}
		catch (IllegalArgumentException ex) {
			return ResquePoolActionDescriptor.refused(action, group, ex.getMessage());
		}
	}

	private ResquePoolActionDescriptor scale(@Nullable String group, @Nullable Integer count) {
		if (count == null) {
			return ResquePoolActionDescriptor.refused("scale", group,
					"count is required, for example {\"group\":\"default\",\"count\":3}");
		}
		String target = group;
		if (target == null) {
			List<PoolStatus.Group> groups = this.pool.status().groups();
			if (groups.size() != 1) {
				return ResquePoolActionDescriptor.refused("scale", null,
						"group is required when the pool has " + groups.size() + " groups; groups: "
								+ String.join(", ", groups.stream().map(PoolStatus.Group::name).toList()));
			}
			target = groups.get(0).name();
		}
		try {
			int before = this.pool.scale(target, count);
			List<String> changes = (before != count)
					? List.of("scaled group '" + target + "' from " + before + " to " + count + " workers") : List.of();
			return ResquePoolActionDescriptor.applied("scale", target, changes);
		}
		catch (IllegalArgumentException ex) {
			return ResquePoolActionDescriptor.refused("scale", target, ex.getMessage());
		}
	}

	private ResquePoolActionDescriptor reload(@Nullable String group, @Nullable Integer count) {
		if (group != null || count != null) {
			return ResquePoolActionDescriptor.refused("reload", group,
					"reload takes no group or count; it reads resque.pool.* again for every group");
		}
		ReloadResult result = this.pool.reload();
		return result.applied() ? ResquePoolActionDescriptor.applied("reload", null, result.changes())
				: ResquePoolActionDescriptor.refused("reload", null, String.valueOf(result.error()));
	}

	private static void log(ResquePoolActionDescriptor result) {
		String target = (result.group() != null) ? " of group '" + result.group() + "'" : "";
		if (result.applied()) {
			logger.info("Endpoint " + ID + ": " + result.action() + target + " applied: "
					+ (result.changes().isEmpty() ? "no change" : String.join("; ", result.changes())));
		}
		else {
			logger.warn("Endpoint " + ID + ": " + result.action() + target + " refused, nothing changed: "
					+ result.message());
		}
	}

}
