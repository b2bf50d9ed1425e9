package io.github.resquepool.pool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.worker.Worker;

import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Reconciliation} on its own: a map of real groups, no pool, no Spring
 * context, a real Redis.
 */
@ExtendWith(RedisExtension.class)
class ReconciliationTests {

	@Test
	void aRemovedGroupDrainsAndANewGroupIsAdded(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis)) {
			GroupMap groups = new GroupMap();
			WorkerGroup a = parts.group(PoolParts.group("a", "default", 1));
			groups.reset(List.of(a));
			List<String> changes = new Reconciliation(groups, parts::group)
				.apply(settings(PoolParts.group("a", "default", 1)), settings(PoolParts.group("b", "other", 2)));
			assertThat(changes).containsExactly("removed group 'a' (0 workers drain)", "added group 'b' [other] x2");
			assertThat(groups.running()).extracting(WorkerGroup::name).containsExactly("b");
			assertThat(groups.draining()).containsExactly(a);
		}
	}

	@Test
	void aCountSetAtRunTimeStaysUntilTheConfiguredCountChanges(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis)) {
			GroupMap groups = new GroupMap();
			WorkerGroup a = parts.group(PoolParts.group("a", "default", 1));
			groups.reset(List.of(a));
			a.setDesired(3);
			Reconciliation reconciliation = new Reconciliation(groups, parts::group);
			Map<String, GroupSettings> one = settings(PoolParts.group("a", "default", 1));
			assertThat(reconciliation.apply(one, one)).isEmpty();
			assertThat(a.desired()).isEqualTo(3);
			assertThat(reconciliation.apply(one, settings(PoolParts.group("a", "default", 2))))
				.containsExactly("scaled group 'a' from 3 to 2");
			assertThat(a.desired()).isEqualTo(2);
			assertThat(groups.running()).containsExactly(a);
		}
	}

	@Test
	void newQueuesReplaceTheGroupWhoseWorkersHandOverTheirPlaces(TestRedis redis) throws Exception {
		try (PoolParts parts = new PoolParts(redis).running()) {
			GroupMap groups = new GroupMap();
			WorkerGroup old = parts.group(PoolParts.group("a", "default", 1));
			groups.reset(List.of(old));
			old.converge();
			PoolParts.awaitIdle(old, 1);
			String leaving = old.workers().get(0).id();
			List<String> changes = new Reconciliation(groups, parts::group)
				.apply(settings(PoolParts.group("a", "default", 1)), settings(PoolParts.group("a", "other", 1)));
			assertThat(changes)
				.containsExactly("group 'a' queues default -> other, x1 (workers replaced as they finish)");
			WorkerGroup replacement = groups.running().get(0);
			assertThat(replacement).isNotSameAs(old);
			assertThat(groups.draining()).containsExactly(old);
			eventually(Duration.ofSeconds(10), () -> {
				assertThat(old.workers()).isEmpty();
				assertThat(replacement.workers()).hasSize(1).extracting(Worker::id).doesNotContain(leaving);
			});
			assertThat(replacement.workers().get(0).id()).endsWith(":other");
		}
	}

	private static Map<String, GroupSettings> settings(GroupSettings... groups) {
		Map<String, GroupSettings> settings = new LinkedHashMap<>();
		for (GroupSettings group : groups) {
			settings.put(group.name(), group);
		}
		return settings;
	}

}
