package io.github.resquepool.pool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.fleet.FleetResult;
import io.github.resquepool.fleet.FleetScope;
import io.github.resquepool.fleet.ResqueFleet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FleetSync} on its own: the groups and the fleet's store, no pool, no
 * Spring context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class FleetSyncTests {

	@Test
	void appliesAStoredPauseOnceAndAResumeWhenTheVersionMoves(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis)) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			RecordingControl control = new RecordingControl(group, null);
			AtomicInteger beats = new AtomicInteger();
			FleetSync sync = new FleetSync(parts.redis.fleet(), parts.identity.poolId(), () -> List.of(group), control,
					beats::incrementAndGet);
			ResqueFleet fleet = fleet(parts);
			fleet.pause(FleetScope.ALL, Duration.ZERO, "ops");
			sync.check();
			assertThat(control.calls).containsExactly("pause main true");
			assertThat(group.paused()).isTrue();
			assertThat(sync.appliedVersion()).isPositive();
			assertThat(beats).hasValue(1);
			sync.check();
			assertThat(control.calls).containsExactly("pause main true");
			fleet.resume(FleetScope.ALL, Duration.ZERO, "ops");
			sync.check();
			assertThat(control.calls).containsExactly("pause main true", "pause main false");
			assertThat(group.paused()).isFalse();
		}
	}

	@Test
	void aRefusedScaleIsRecordedAsAFailureOfItsCommand(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis)) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			RecordingControl control = new RecordingControl(group, "more than resque.pool.max-workers");
			FleetSync sync = new FleetSync(parts.redis.fleet(), parts.identity.poolId(), () -> List.of(group), control,
					() -> {
					});
			FleetResult result = fleet(parts).scale(new FleetScope(null, "main"), 5, Duration.ZERO, "ops");
			sync.sync();
			assertThat(control.calls).containsExactly("scale main 5");
			assertThat(sync.failures()).containsEntry(result.seq(), "more than resque.pool.max-workers");
			assertThat(group.desired()).isEqualTo(1);
		}
	}

	@Test
	void aResetGivesTheGroupItsConfiguredCountBack(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis)) {
			WorkerGroup group = parts.group(PoolParts.group("main", "default", 1));
			RecordingControl control = new RecordingControl(group, null);
			FleetSync sync = new FleetSync(parts.redis.fleet(), parts.identity.poolId(), () -> List.of(group), control,
					() -> {
					});
			ResqueFleet fleet = fleet(parts);
			fleet.scale(new FleetScope(null, "main"), 4, Duration.ZERO, "ops");
			sync.check();
			assertThat(group.desired()).isEqualTo(4);
			fleet.reset(new FleetScope(null, "main"), Duration.ZERO, "ops");
			sync.check();
			assertThat(control.calls).containsExactly("scale main 4", "scale main 1");
			assertThat(group.desired()).isEqualTo(1);
		}
	}

	private static ResqueFleet fleet(PoolParts parts) {
		return new ResqueFleet(parts.redis, Duration.ZERO, Duration.ofSeconds(30), () -> Set.of("main"), "test");
	}

	/** Applies commands to the group as the pool would, and records them. */
	private static final class RecordingControl implements FleetSync.Control {

		final List<String> calls = new CopyOnWriteArrayList<>();

		private final WorkerGroup group;

		private final String refusal;

		RecordingControl(WorkerGroup group, String refusal) {
			this.group = group;
			this.refusal = refusal;
		}

		@Override
		public void pause(String name, boolean pause) {
			this.calls.add("pause " + name + " " + pause);
			this.group.setPaused(pause);
		}

		@Override
		public void scale(String name, int count) {
			this.calls.add("scale " + name + " " + count);
			if (this.refusal != null) {
				throw new IllegalArgumentException(this.refusal);
			}
			this.group.setDesired(count);
		}

		@Override
		public int configuredCount(String name) {
			return 1;
		}

	}

}
