package io.github.resquepool.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.Connectivity;

/**
 * A {@link HealthIndicator} for the {@link ResquePool}: {@code DOWN} when Redis is
 * unreachable (the command connection is closed or reconnecting, commands time out, or
 * Redis refuses to serve), when a group that should have workers has none alive because
 * they keep crashing, or when a group has more stuck threads than
 * {@code max-stuck-workers}; {@code UP} otherwise, a paused pool included. The details
 * show Redis, the pool's state and, for each group, its live and desired workers and its
 * state.
 * <p>
 * It makes no Redis call: it reads the pool's last known {@link Connectivity} and an
 * in-memory snapshot, so it answers at once even while Redis hangs.
 */
public class ResquePoolHealthIndicator extends AbstractHealthIndicator {

	private final ResquePool pool;

	private final Connectivity connectivity;

	/**
	 * Creates the indicator.
	 * @param pool the pool
	 * @param connectivity what the pool last knew about its Redis connection
	 */
	public ResquePoolHealthIndicator(ResquePool pool, Connectivity connectivity) {
		super("Resque pool health check failed");
		this.pool = pool;
		this.connectivity = connectivity;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		PoolStatus status = this.pool.status();
		boolean redisUp = this.connectivity.isUp();
		List<String> crashLooping = status.groups()
			.stream()
			.filter((group) -> isCrashLooping(status, group))
			.map(PoolStatus.Group::name)
			.toList();
		List<String> stuck = status.groups()
			.stream()
			.filter(PoolStatus.Group::stuckLimitExceeded)
			.map(PoolStatus.Group::name)
			.toList();
		String draining = this.pool.drainReason();
		builder.status(
				(redisUp && crashLooping.isEmpty() && stuck.isEmpty() && draining == null) ? Status.UP : Status.DOWN);
		if (draining != null) {
			builder.withDetail("draining", draining);
		}
		builder.withDetail("redis", redis(redisUp));
		builder.withDetail("state", status.state());
		builder.withDetail("paused", status.requested() == State.PAUSED);
		builder.withDetail("groups", groups(status));
		if (!crashLooping.isEmpty()) {
			builder.withDetail("crashLooping", crashLooping);
		}
		if (!stuck.isEmpty()) {
			builder.withDetail("tooManyStuckWorkers", stuck);
		}
	}

	private static boolean isCrashLooping(PoolStatus status, PoolStatus.Group group) {
		boolean supervising = status.requested() != State.STOPPED && status.requested() != State.STOPPING;
		return supervising && group.count() > 0 && group.live() == 0
				&& (group.crashes() > 0 || !group.backoff().isZero());
	}

	private Map<String, Object> redis(boolean up) {
		Map<String, Object> redis = new LinkedHashMap<>();
		redis.put("up", up);
		redis.put("since", this.connectivity.since().toString());
		String error = this.connectivity.lastError();
		if (!up && error != null) {
			redis.put("error", error);
		}
		return redis;
	}

	private static Map<String, Object> groups(PoolStatus status) {
		Map<String, Object> groups = new LinkedHashMap<>();
		for (PoolStatus.Group group : status.groups()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("live", group.live());
			details.put("desired", group.count());
			details.put("state", group.state());
			if (!group.backoff().isZero()) {
				details.put("backoff", group.backoff().toString());
				details.put("crashes", group.crashes());
			}
			if (group.stuck() > 0) {
				details.put("stuck", group.stuck());
			}
			groups.put(group.name(), details);
		}
		return groups;
	}

}
