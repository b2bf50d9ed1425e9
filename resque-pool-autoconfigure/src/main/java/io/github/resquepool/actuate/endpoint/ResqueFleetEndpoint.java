package io.github.resquepool.actuate.endpoint;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.resque.QueueLimit;

/**
 * The {@code resquefleet} endpoint: every pool on this Redis, seen and steered from any
 * process (a web process without a pool of its own, typically), through
 * {@link ResqueFleet}. Its default access is read-only; the writes need
 * {@code management.endpoint.resquefleet.access=unrestricted}.
 * <p>
 * Over HTTP the writes are {@code POST /actuator/resquefleet/{action}} with
 * {@code pause}, {@code resume}, {@code scale}, {@code reset} or {@code cancel}, and an
 * optional JSON body naming a {@code pool}, a {@code group}, a {@code queue} (pause and
 * resume of one queue), a {@code count} (scale), a {@code worker} or a {@code jobId}
 * (cancel) and a {@code timeout} for the acknowledgements, see
 * {@link ResqueFleetEndpointWebExtension}.
 */
@Endpoint(id = ResqueFleetEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class ResqueFleetEndpoint {

	/** The endpoint's id. */
	public static final String ID = "resquefleet";

	private final ResqueFleet fleet;

	/**
	 * Creates the endpoint.
	 * @param fleet the fleet control
	 */
	public ResqueFleetEndpoint(ResqueFleet fleet) {
		this.fleet = fleet;
	}

	/**
	 * @return every live pool, the stored overrides and the paused queues
	 */
	@ReadOperation
	public ResqueFleetDescriptor fleet() {
		return ResqueFleetDescriptor.of(this.fleet.view());
	}

	/**
	 * Runs a fleet command.
	 * @param action {@code pause}, {@code resume}, {@code scale} or {@code reset}
	 * @param pool one pool's id, or {@code null} for every pool
	 * @param group one group, or {@code null} for every group
	 * @param queue one queue to pause or resume (resque-pause's keys), or {@code null}
	 * @param count the number of workers, for {@code scale}
	 * @param timeout how long to wait for acknowledgements, such as {@code 5s}, or
	 * {@code null}
	 * @param by who asks, or {@code null} for this host
	 * @return what each pool did
	 * @throws IllegalArgumentException for a bad request; nothing is stored then
	 */
	public FleetResult perform(String action, @Nullable String pool, @Nullable String group, @Nullable String queue,
			@Nullable Integer count, @Nullable String timeout, @Nullable String by) {
		return perform(action, pool, group, queue, count, null, null, timeout, by);
	}

	/**
	 * Runs a fleet command.
	 * @param action {@code pause}, {@code resume}, {@code scale}, {@code reset} or
	 * {@code cancel}
	 * @param pool one pool's id, or {@code null} for every pool
	 * @param group one group, or {@code null} for every group
	 * @param queue one queue to pause or resume (resque-pause's keys), or {@code null}
	 * @param count the number of workers, for {@code scale}
	 * @param worker the worker whose job to cancel, for {@code cancel}
	 * @param jobId the ActiveJob {@code job_id} of the job to cancel, for {@code cancel}
	 * @param timeout how long to wait for acknowledgements, such as {@code 5s}, or
	 * {@code null}
	 * @param by who asks, or {@code null} for this host
	 * @return what each pool did
	 * @throws IllegalArgumentException for a bad request; nothing is stored then
	 */
	public FleetResult perform(String action, @Nullable String pool, @Nullable String group, @Nullable String queue,
			@Nullable Integer count, @Nullable String worker, @Nullable String jobId, @Nullable String timeout,
			@Nullable String by) {
		return perform(action, pool, group, queue, count, worker, jobId, null, null, null, timeout, by);
	}

	/**
	 * Runs a fleet command.
	 * @param action {@code pause}, {@code resume}, {@code scale}, {@code reset},
	 * {@code cancel} or {@code limit}
	 * @param pool one pool's id, or {@code null} for every pool
	 * @param group one group, or {@code null} for every group
	 * @param queue one queue to pause, resume, limit or reset, or {@code null}
	 * @param count the number of workers, for {@code scale}
	 * @param worker the worker whose job to cancel, for {@code cancel}
	 * @param jobId the ActiveJob {@code job_id} of the job to cancel, for {@code cancel}
	 * @param concurrency how many of the queue's jobs may run at once, for {@code limit}
	 * @param rate how many of the queue's jobs may start per {@code per}, for
	 * {@code limit}
	 * @param per the rate's window, such as {@code 1m}, for {@code limit} (default 1s)
	 * @param timeout how long to wait for acknowledgements, such as {@code 5s}, or
	 * {@code null}
	 * @param by who asks, or {@code null} for this host
	 * @return what each pool did
	 * @throws IllegalArgumentException for a bad request; nothing is stored then
	 */
	public FleetResult perform(String action, @Nullable String pool, @Nullable String group, @Nullable String queue,
			@Nullable Integer count, @Nullable String worker, @Nullable String jobId, @Nullable Integer concurrency,
			@Nullable Integer rate, @Nullable String per, @Nullable String timeout, @Nullable String by) {
		Duration wait = parseTimeout(timeout);
		boolean limitFields = concurrency != null || rate != null || (per != null && !per.isBlank());
		if (action.equals("limit")) {
			if (pool != null || group != null || count != null || worker != null || jobId != null) {
				throw new IllegalArgumentException(
						"limit takes a queue and a concurrency, a rate (with per), or both; no pool, group, count, worker or jobId");
			}
			if (queue == null || queue.isBlank()) {
				throw new IllegalArgumentException(
						"limit needs a queue, for example {\"queue\":\"exports\",\"concurrency\":2}");
			}
			return this.fleet.limitQueue(queue, queueLimit(concurrency, rate, per), by);
		}
		if (limitFields) {
			throw new IllegalArgumentException(action + " takes no concurrency, rate or per; they belong to limit");
		}
		if (action.equals("cancel")) {
			if (pool != null || group != null || queue != null || count != null) {
				throw new IllegalArgumentException("cancel takes a worker or a jobId, no pool, group, queue or count");
			}
			return this.fleet.cancel(blankToNull(worker), blankToNull(jobId), wait, by);
		}
		if (worker != null || jobId != null) {
			throw new IllegalArgumentException(action + " takes no worker or jobId; they name the job to cancel");
		}
		FleetScope scope = new FleetScope(pool, group);
		if (queue != null && !queue.isBlank()) {
			if (pool != null || group != null || count != null) {
				throw new IllegalArgumentException(
						"a queue pause covers every worker; it takes no pool, group or count");
			}
			return switch (action) {
				case "pause" -> this.fleet.pauseQueue(queue, by);
				case "resume" -> this.fleet.resumeQueue(queue, by);
				case "reset" -> this.fleet.resetQueueLimit(queue, by);
				default -> throw new IllegalArgumentException(
						action + " takes no queue; queues are paused, resumed, limited and reset");
			};
		}
		if (count != null && !action.equals("scale")) {
			throw new IllegalArgumentException(action + " takes no count; use scale to change the number of workers");
		}
		return switch (action) {
			case "pause" -> this.fleet.pause(scope, wait, by);
			case "resume" -> this.fleet.resume(scope, wait, by);
			case "scale" -> this.fleet.scale(scope, count, wait, by);
			case "reset" -> this.fleet.reset(scope, wait, by);
			default -> throw new IllegalArgumentException(
					"unknown action '" + action + "'; use pause, resume, scale, reset or cancel");
		};
	}

	/**
	 * The JMX write: the same as over HTTP.
	 * @param action {@code pause}, {@code resume}, {@code scale}, {@code reset} or
	 * {@code cancel}
	 * @param pool one pool's id, or {@code null}
	 * @param group one group, or {@code null}
	 * @param queue one queue, or {@code null}
	 * @param count the number of workers, for {@code scale}
	 * @param worker the worker whose job to cancel, or {@code null}
	 * @param jobId the ActiveJob {@code job_id} of the job to cancel, or {@code null}
	 * @param concurrency a queue's concurrency, for {@code limit}
	 * @param rate a queue's rate, for {@code limit}
	 * @param per the rate's window, for {@code limit}
	 * @param timeout how long to wait for acknowledgements, or {@code null}
	 * @return what each pool did
	 */
	@WriteOperation
	public FleetResult command(@Selector String action, @Nullable String pool, @Nullable String group,
			@Nullable String queue, @Nullable Integer count, @Nullable String worker, @Nullable String jobId,
			@Nullable Integer concurrency, @Nullable Integer rate, @Nullable String per, @Nullable String timeout) {
		return perform(action, pool, group, queue, count, worker, jobId, concurrency, rate, per, timeout, null);
	}

	private static QueueLimit queueLimit(@Nullable Integer concurrency, @Nullable Integer rate, @Nullable String per) {
		if (concurrency == null && rate == null) {
			throw new IllegalArgumentException("limit needs a concurrency, a rate, or both");
		}
		if ((concurrency != null && (concurrency < 0 || concurrency > QueueLimit.MAX))
				|| (rate != null && (rate < 0 || rate > QueueLimit.MAX))) {
			throw new IllegalArgumentException("a concurrency or rate must be between 0 and " + QueueLimit.MAX);
		}
		if (rate == null && per != null && !per.isBlank()) {
			throw new IllegalArgumentException("per is the window of a rate; give a rate too");
		}
		Duration window = Duration.ofSeconds(1);
		if (per != null && !per.isBlank()) {
			try {
				window = DurationStyle.detectAndParse(per.strip());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("per must be a duration such as 1s or 1m, was '" + per + "'", ex);
			}
			if (window.toMillis() < 1 || window.compareTo(Duration.ofDays(1)) > 0) {
				throw new IllegalArgumentException("per must be between 1ms and 1d, was '" + per + "'");
			}
		}
		return new QueueLimit((concurrency != null) ? concurrency : -1, (rate != null) ? rate : -1, window);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value != null && !value.isBlank()) ? value : null;
	}

	private static @Nullable Duration parseTimeout(@Nullable String timeout) {
		if (timeout == null || timeout.isBlank()) {
			return null;
		}
		try {
			Duration parsed = DurationStyle.detectAndParse(timeout.strip());
			if (parsed.isNegative() || parsed.compareTo(Duration.ofMinutes(5)) > 0) {
				throw new IllegalArgumentException("timeout must be between 0 and 5m, was " + timeout);
			}
			return parsed;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("timeout must be a duration such as 5s, was '" + timeout + "'", ex);
		}
	}

}
